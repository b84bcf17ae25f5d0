// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {TestBase} from "./Vm.sol";
import {Rejecter} from "./Mocks.sol";
import {AgentNexusEntitlements} from "../src/AgentNexusEntitlements.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

contract AgentNexusEntitlementsTest is TestBase {
    AgentNexusEntitlements internal ent;

    address internal constant OWNER = address(0xA11CE);
    address internal constant OPERATOR = address(0x0FE2);
    address internal constant ALICE = address(0xA11);
    address internal constant BOB = address(0xB0B);
    address internal constant STRANGER = address(0xBAD);

    string internal constant BASE = "https://api.agentnexus.example/tokens/{id}.json";
    uint256 internal constant AGENT = 42;

    function setUp() public {
        vm.warp(1_700_000_000);
        ent = new AgentNexusEntitlements(OWNER, BASE);
        vm.prank(OWNER);
        ent.setOperator(OPERATOR, true);
    }

    function _mint(address to, uint256 id, uint256 amount) internal {
        vm.prank(OPERATOR);
        ent.mintToken(to, id, amount);
    }

    function _notOperator(address who) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(AgentNexusEntitlements.NotOperator.selector, who);
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        ids[0] = a;
        ids[1] = b;
    }

    // ------------------------------------------------------------------ constructor / ERC-165

    function test_constructor() public view {
        assertEq(ent.owner(), OWNER, "owner");
        assertEq(ent.uri(AGENT), BASE, "base uri");
        assertFalse(ent.isOperator(STRANGER), "no operator");
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new AgentNexusEntitlements(address(0), BASE);
    }

    function test_supportsInterface() public view {
        assertTrue(ent.supportsInterface(0xd9b67a26), "IERC1155");
        assertTrue(ent.supportsInterface(0x0e89341c), "IERC1155MetadataURI");
        assertTrue(ent.supportsInterface(0x01ffc9a7), "IERC165");
        assertFalse(ent.supportsInterface(0xffffffff), "invalid");
    }

    // ------------------------------------------------------------------ operators

    function test_setOperator() public {
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.OperatorUpdated(STRANGER, true);
        vm.prank(OWNER);
        ent.setOperator(STRANGER, true);
        assertTrue(ent.isOperator(STRANGER), "authorised");

        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.OperatorUpdated(STRANGER, false);
        vm.prank(OWNER);
        ent.setOperator(STRANGER, false);
        assertFalse(ent.isOperator(STRANGER), "revoked");

        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.mintToken(ALICE, AGENT, 1);
    }

    function test_setOperator_onlyOwner() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, OPERATOR));
        ent.setOperator(STRANGER, true);
    }

    function test_setOperator_revertsOnZero() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.ZeroAddress.selector));
        ent.setOperator(address(0), true);
    }

    // ------------------------------------------------------------------ mint

    function test_mintToken_byOperator() public {
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.EntitlementMinted(ALICE, AGENT, 2);
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.TransferSingle(OPERATOR, address(0), ALICE, AGENT, 2);
        _mint(ALICE, AGENT, 2);
        assertEq(ent.balanceOf(ALICE, AGENT), 2, "balance");
        assertEq(ent.mintedAt(ALICE, AGENT), block.timestamp, "mintedAt");
        assertTrue(ent.hasValidToken(ALICE, AGENT), "valid");
    }

    function test_mintToken_byOwner() public {
        vm.prank(OWNER);
        ent.mintToken(ALICE, AGENT, 1);
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "balance");
    }

    function test_mintToken_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.mintToken(STRANGER, AGENT, 1);
    }

    function test_mintToken_revertsOnZeroAmount() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.ZeroAmount.selector));
        ent.mintToken(ALICE, AGENT, 0);
    }

    function test_mintToken_revertsOnZeroAddress() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        ent.mintToken(address(0), AGENT, 1);
    }

    function test_mintToken_revertsOnNonReceiverContract() public {
        Rejecter r = new Rejecter();
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(r)));
        ent.mintToken(address(r), AGENT, 1);
    }

    // ------------------------------------------------------------------ validity / expiry

    function test_hasValidToken_falseWithoutBalance() public view {
        assertFalse(ent.hasValidToken(ALICE, AGENT), "no balance");
    }

    function test_hasValidToken_neverExpiresByDefault() public {
        _mint(ALICE, AGENT, 1);
        vm.warp(block.timestamp + 3650 days);
        assertTrue(ent.hasValidToken(ALICE, AGENT), "still valid");
    }

    function test_setTokenExpiry_andExpiry() public {
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.TokenExpirySet(AGENT, 30 days);
        vm.prank(OPERATOR);
        ent.setTokenExpiry(AGENT, 30 days);
        assertEq(ent.tokenExpiry(AGENT), 30 days, "expiry");

        _mint(ALICE, AGENT, 1);
        uint256 minted = block.timestamp;
        vm.warp(minted + 30 days - 1);
        assertTrue(ent.hasValidToken(ALICE, AGENT), "valid just before expiry");
        vm.warp(minted + 30 days);
        assertFalse(ent.hasValidToken(ALICE, AGENT), "expired at boundary");

        // A new mint restarts validity.
        _mint(ALICE, AGENT, 1);
        assertEq(ent.mintedAt(ALICE, AGENT), minted + 30 days, "mintedAt restarted");
        assertTrue(ent.hasValidToken(ALICE, AGENT), "valid after re-mint");
        assertEq(ent.balanceOf(ALICE, AGENT), 2, "balance accumulates");

        // Expiry applies retroactively, and 0 means never.
        vm.warp(block.timestamp + 365 days);
        assertFalse(ent.hasValidToken(ALICE, AGENT), "expired again");
        vm.prank(OWNER);
        ent.setTokenExpiry(AGENT, 0);
        assertTrue(ent.hasValidToken(ALICE, AGENT), "never expires");
    }

    function test_setTokenExpiry_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.setTokenExpiry(AGENT, 1);
    }

    // ------------------------------------------------------------------ URI

    function test_setTokenURI() public {
        string memory custom = "ipfs://bafy-agent-42";
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.URI(custom, AGENT);
        vm.prank(OPERATOR);
        ent.setTokenURI(AGENT, custom);
        assertEq(ent.uri(AGENT), custom, "custom uri");
        assertEq(ent.uri(AGENT + 1), BASE, "other ids use base");

        // Clearing falls back to the base URI (and the event reports the effective URI).
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.URI(BASE, AGENT);
        vm.prank(OWNER);
        ent.setTokenURI(AGENT, "");
        assertEq(ent.uri(AGENT), BASE, "reset to base");
    }

    function test_setTokenURI_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.setTokenURI(AGENT, "x");
    }

    // ------------------------------------------------------------------ burn

    function test_burn() public {
        _mint(ALICE, AGENT, 3);
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.EntitlementBurned(ALICE, AGENT, 2);
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.TransferSingle(OPERATOR, ALICE, address(0), AGENT, 2);
        vm.prank(OPERATOR);
        ent.burn(ALICE, AGENT, 2);
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "balance");
        assertTrue(ent.hasValidToken(ALICE, AGENT), "still valid");

        vm.prank(OWNER);
        ent.burn(ALICE, AGENT, 1);
        assertFalse(ent.hasValidToken(ALICE, AGENT), "burnt out");
    }

    function test_burn_allowedEvenIfNonTransferable() public {
        _mint(ALICE, AGENT, 1);
        assertFalse(ent.transferable(AGENT), "soul-bound");
        vm.prank(OPERATOR);
        ent.burn(ALICE, AGENT, 1);
        assertEq(ent.balanceOf(ALICE, AGENT), 0, "burnt");
    }

    function test_burn_revertsForStranger() public {
        _mint(ALICE, AGENT, 1);
        vm.prank(ALICE);
        vm.expectRevert(_notOperator(ALICE));
        ent.burn(ALICE, AGENT, 1);
    }

    function test_burn_revertsOnZeroAmount() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.ZeroAmount.selector));
        ent.burn(ALICE, AGENT, 0);
    }

    function test_burn_revertsOnInsufficientBalance() public {
        _mint(ALICE, AGENT, 1);
        vm.prank(OPERATOR);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, ALICE, 1, 2, AGENT)
        );
        ent.burn(ALICE, AGENT, 2);
    }

    // ------------------------------------------------------------------ transferability

    function test_transfer_revertsWhenNotTransferable() public {
        _mint(ALICE, AGENT, 1);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.NonTransferable.selector, AGENT));
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
    }

    function test_transfer_byApprovedOperatorStillBlocked() public {
        _mint(ALICE, AGENT, 1);
        vm.prank(ALICE);
        ent.setApprovalForAll(BOB, true);
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.NonTransferable.selector, AGENT));
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
    }

    function test_setTransferable_allowsTransfer() public {
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.TransferabilitySet(AGENT, true);
        vm.prank(OPERATOR);
        ent.setTransferable(AGENT, true);
        assertTrue(ent.transferable(AGENT), "transferable");

        _mint(ALICE, AGENT, 2);
        vm.prank(ALICE);
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
        assertEq(ent.balanceOf(BOB, AGENT), 1, "bob");
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "alice");
        assertTrue(ent.hasValidToken(BOB, AGENT), "bob valid");

        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.TransferabilitySet(AGENT, false);
        vm.prank(OWNER);
        ent.setTransferable(AGENT, false);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.NonTransferable.selector, AGENT));
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
    }

    function test_setTransferable_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.setTransferable(AGENT, true);
    }

    function test_batchTransfer_revertsIfAnyIdNotTransferable() public {
        _mint(ALICE, 1, 1);
        _mint(ALICE, 2, 1);
        vm.prank(OWNER);
        ent.setTransferable(1, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.NonTransferable.selector, uint256(2)));
        ent.safeBatchTransferFrom(ALICE, BOB, _ids(1, 2), _ids(1, 1), "");

        vm.prank(OWNER);
        ent.setTransferable(2, true);
        vm.prank(ALICE);
        ent.safeBatchTransferFrom(ALICE, BOB, _ids(1, 2), _ids(1, 1), "");
        assertEq(ent.balanceOf(BOB, 1), 1, "bob 1");
        assertEq(ent.balanceOf(BOB, 2), 1, "bob 2");
    }

    /// Transfers carry the sender's validity clock; they never extend it.
    function test_transfer_inheritsSenderClock() public {
        vm.startPrank(OWNER);
        ent.setTransferable(AGENT, true);
        ent.setTokenExpiry(AGENT, 10 days);
        vm.stopPrank();

        _mint(ALICE, AGENT, 1);
        uint256 aliceMint = block.timestamp;
        vm.warp(aliceMint + 5 days);
        vm.prank(ALICE);
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
        assertEq(ent.mintedAt(BOB, AGENT), aliceMint, "bob inherits alice's clock");
        assertTrue(ent.hasValidToken(BOB, AGENT), "valid");
        vm.warp(aliceMint + 10 days);
        assertFalse(ent.hasValidToken(BOB, AGENT), "expires on alice's schedule");

        // Bob re-mints (newer clock), then receives an older token: his newer clock is kept.
        _mint(BOB, AGENT, 1);
        uint256 bobMint = block.timestamp;
        _mint(ALICE, AGENT, 1);
        vm.warp(bobMint + 1 days);
        _mint(BOB, AGENT, 1); // bob newer than alice now
        uint256 bobLatest = block.timestamp;
        vm.prank(ALICE);
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");
        assertEq(ent.mintedAt(BOB, AGENT), bobLatest, "newer own clock kept");

        // Zero-value transfers do not touch the clock.
        vm.warp(bobLatest + 1 days);
        _mint(ALICE, AGENT, 1);
        vm.prank(ALICE);
        ent.safeTransferFrom(ALICE, BOB, AGENT, 0, "");
        assertEq(ent.mintedAt(BOB, AGENT), bobLatest, "zero transfer ignored");
    }

    // ------------------------------------------------------------------ per-payment mint / burn

    bytes32 internal constant PAYMENT = keccak256("payment-1");

    function _state(bytes32 paymentId) internal view returns (AgentNexusEntitlements.PaymentState state) {
        (, state,) = ent.paymentMints(paymentId);
    }

    function test_mintForPayment_mintsOneToken() public {
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.PaymentEntitlementMinted(PAYMENT, ALICE, AGENT);
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.TransferSingle(OPERATOR, address(0), ALICE, AGENT, 1);
        vm.prank(OPERATOR);
        assertTrue(ent.mintForPayment(ALICE, AGENT, PAYMENT), "minted");

        assertEq(ent.balanceOf(ALICE, AGENT), 1, "balance");
        assertEq(ent.mintedAt(ALICE, AGENT), block.timestamp, "mintedAt");
        assertTrue(ent.hasValidToken(ALICE, AGENT), "valid");
        (address holder, AgentNexusEntitlements.PaymentState state, uint256 agentId) = ent.paymentMints(PAYMENT);
        assertEq(holder, ALICE, "holder");
        assertEq(agentId, AGENT, "agentId");
        assertTrue(state == AgentNexusEntitlements.PaymentState.Minted, "state");
    }

    /// However many callers, replicas or retries report one payment: one token, and no revert.
    function test_mintForPayment_secondCallIsANoOp() public {
        vm.startPrank(OPERATOR);
        ent.mintForPayment(ALICE, AGENT, PAYMENT);
        vm.warp(block.timestamp + 1 days);
        vm.recordLogs();
        assertFalse(ent.mintForPayment(ALICE, AGENT, PAYMENT), "second call mints nothing");
        assertFalse(ent.mintForPayment(BOB, AGENT + 1, PAYMENT), "not even to someone else");
        vm.stopPrank();
        assertEq(vm.getRecordedLogs().length, 0, "no events");
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "still one");
        assertEq(ent.balanceOf(BOB, AGENT + 1), 0, "bob nothing");
        assertEq(ent.mintedAt(ALICE, AGENT), block.timestamp - 1 days, "validity not restarted");

        vm.prank(OWNER);
        ent.mintForPayment(ALICE, AGENT, keccak256("payment-2"));
        assertEq(ent.balanceOf(ALICE, AGENT), 2, "another payment mints another token");
    }

    function test_mintForPayment_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(_notOperator(STRANGER));
        ent.mintForPayment(STRANGER, AGENT, PAYMENT);
    }

    function test_mintForPayment_revertsOnZeroPaymentId() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.ZeroPaymentId.selector));
        ent.mintForPayment(ALICE, AGENT, bytes32(0));
    }

    function test_mintForPayment_revertsOnZeroAddressAndRecordsNothing() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        ent.mintForPayment(address(0), AGENT, PAYMENT);
        assertTrue(_state(PAYMENT) == AgentNexusEntitlements.PaymentState.None, "still mintable");
    }

    function test_burnForPayment_burnsThePaymentsTokenOnce() public {
        vm.startPrank(OPERATOR);
        ent.mintForPayment(ALICE, AGENT, PAYMENT);
        ent.mintForPayment(ALICE, AGENT, keccak256("payment-2"));

        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.PaymentEntitlementBurned(PAYMENT, ALICE, AGENT, 1);
        vm.expectEmit(true, true, true, true, address(ent));
        emit IERC1155.TransferSingle(OPERATOR, ALICE, address(0), AGENT, 1);
        assertEq(ent.burnForPayment(PAYMENT), 1, "burned");
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "the other payment's token stays");

        vm.recordLogs();
        assertEq(ent.burnForPayment(PAYMENT), 0, "second call burns nothing");
        assertEq(vm.getRecordedLogs().length, 0, "no events");
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "still the other token");

        assertFalse(ent.mintForPayment(ALICE, AGENT, PAYMENT), "a burned payment never mints again");
        vm.stopPrank();
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "unchanged");
        assertTrue(_state(PAYMENT) == AgentNexusEntitlements.PaymentState.Burned, "state");
    }

    /// A refund that overtakes the mint: the payment is revoked first, and the late mint does nothing.
    function test_burnForPayment_beforeMintRevokesThePayment() public {
        vm.startPrank(OPERATOR);
        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.PaymentEntitlementBurned(PAYMENT, address(0), 0, 0);
        assertEq(ent.burnForPayment(PAYMENT), 0, "nothing to burn");
        assertFalse(ent.mintForPayment(ALICE, AGENT, PAYMENT), "late mint is a no-op");
        vm.stopPrank();
        assertEq(ent.balanceOf(ALICE, AGENT), 0, "no token");
    }

    function test_burnForPayment_whenTheHolderNoLongerHasTheToken() public {
        vm.prank(OPERATOR);
        ent.mintForPayment(ALICE, AGENT, PAYMENT);
        vm.startPrank(OWNER);
        ent.setTransferable(AGENT, true);
        vm.stopPrank();
        vm.prank(ALICE);
        ent.safeTransferFrom(ALICE, BOB, AGENT, 1, "");

        vm.expectEmit(true, true, true, true, address(ent));
        emit AgentNexusEntitlements.PaymentEntitlementBurned(PAYMENT, ALICE, AGENT, 0);
        vm.prank(OWNER);
        assertEq(ent.burnForPayment(PAYMENT), 0, "nothing left to burn");
        assertTrue(_state(PAYMENT) == AgentNexusEntitlements.PaymentState.Burned, "revoked");
    }

    function test_burnForPayment_revertsForStranger() public {
        vm.prank(OPERATOR);
        ent.mintForPayment(ALICE, AGENT, PAYMENT);
        vm.prank(ALICE);
        vm.expectRevert(_notOperator(ALICE));
        ent.burnForPayment(PAYMENT);
    }

    function test_burnForPayment_revertsOnZeroPaymentId() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEntitlements.ZeroPaymentId.selector));
        ent.burnForPayment(bytes32(0));
    }

    function testFuzz_mintForPayment_repeatedCallsMintOnce(bytes32 paymentId, uint8 calls) public {
        vm.assume(paymentId != bytes32(0));
        calls = uint8(bound(calls, 1, 20));
        vm.startPrank(OPERATOR);
        for (uint256 i = 0; i < calls; ++i) {
            ent.mintForPayment(ALICE, AGENT, paymentId);
        }
        assertEq(ent.balanceOf(ALICE, AGENT), 1, "one token");
        ent.burnForPayment(paymentId);
        ent.burnForPayment(paymentId);
        vm.stopPrank();
        assertEq(ent.balanceOf(ALICE, AGENT), 0, "burned once");
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_hasValidToken(uint64 expiry, uint256 elapsed, uint256 amount) public {
        amount = bound(amount, 1, type(uint128).max);
        elapsed = bound(elapsed, 0, 10 * 365 days);
        vm.prank(OWNER);
        ent.setTokenExpiry(AGENT, expiry);
        _mint(ALICE, AGENT, amount);
        vm.warp(block.timestamp + elapsed);
        bool expected = expiry == 0 || elapsed < expiry;
        assertTrue(ent.hasValidToken(ALICE, AGENT) == expected, "validity");
        assertEq(ent.balanceOf(ALICE, AGENT), amount, "balance");
    }

    function testFuzz_mintBurn(address to, uint256 id, uint256 mintAmount, uint256 burnAmount) public {
        vm.assume(to != address(0) && to.code.length == 0 && uint160(to) > 0xff);
        mintAmount = bound(mintAmount, 1, type(uint128).max);
        burnAmount = bound(burnAmount, 1, mintAmount);
        _mint(to, id, mintAmount);
        vm.prank(OPERATOR);
        ent.burn(to, id, burnAmount);
        assertEq(ent.balanceOf(to, id), mintAmount - burnAmount, "balance");
        assertTrue(ent.hasValidToken(to, id) == (mintAmount > burnAmount), "validity");
    }

    function testFuzz_nonOperatorCannotMint(address caller) public {
        vm.assume(caller != OWNER && caller != OPERATOR);
        vm.prank(caller);
        vm.expectRevert(_notOperator(caller));
        ent.mintToken(ALICE, AGENT, 1);
    }
}
