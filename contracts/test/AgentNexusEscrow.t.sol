// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {TestBase} from "./Vm.sol";
import {MockERC20, FeeOnTransferToken, FalseReturningToken, Rejecter, ReentrantAttacker} from "./Mocks.sol";
import {AgentNexusEscrow} from "../src/AgentNexusEscrow.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

contract AgentNexusEscrowTest is TestBase {
    AgentNexusEscrow internal escrow;
    MockERC20 internal token;

    address internal constant OWNER = address(0xA11CE);
    address internal constant OPERATOR = address(0x0FE2);
    address internal constant FEE = address(0xFEE);
    address internal constant CREATOR = address(0xC2EA7012);
    address internal constant BUYER = address(0xB0B);
    address internal constant STRANGER = address(0xBAD);

    uint16 internal constant FEE_BPS = 250; // 2.5%
    uint256 internal constant AGENT = 42;
    /// A paymentId names its payer in its first 20 bytes.
    bytes32 internal constant PID = bytes32((uint256(uint160(BUYER)) << 96) | 1);
    uint256 internal constant AMOUNT = 1 ether;

    function setUp() public {
        escrow = new AgentNexusEscrow(OWNER, FEE, FEE_BPS);
        token = new MockERC20();
        vm.prank(OWNER);
        escrow.setOperator(OPERATOR, true);
        vm.prank(OWNER);
        escrow.setCreatorPayout(AGENT, CREATOR);
        vm.deal(BUYER, 100 ether);
        token.mint(BUYER, 1_000_000 ether);
        vm.prank(BUYER);
        token.approve(address(escrow), type(uint256).max);
    }

    // ------------------------------------------------------------------ helpers

    function _depositEth(bytes32 id, uint256 amount) internal {
        vm.prank(BUYER);
        escrow.depositPayment{value: amount}(id, AGENT, amount, address(0));
    }

    function _depositToken(bytes32 id, uint256 amount) internal {
        vm.prank(BUYER);
        escrow.depositPayment(id, AGENT, amount, address(token));
    }

    function _pid(address payer, uint96 n) internal pure returns (bytes32) {
        return bytes32((uint256(uint160(payer)) << 96) | n);
    }

    function _status(bytes32 id) internal view returns (AgentNexusEscrow.PaymentStatus) {
        return escrow.getPayment(id).status;
    }

    function _statusErr(bytes32 id, AgentNexusEscrow.PaymentStatus s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(AgentNexusEscrow.InvalidPaymentStatus.selector, id, s);
    }

    // ------------------------------------------------------------------ constructor

    function test_constructor_setsState() public view {
        assertEq(escrow.owner(), OWNER, "owner");
        assertEq(escrow.feeRecipient(), FEE, "feeRecipient");
        assertEq(escrow.platformFeeBps(), FEE_BPS, "fee");
        assertEq(escrow.refundWindow(), 7 days, "refundWindow");
        assertEq(escrow.MAX_FEE_BPS(), 1000, "max fee");
        assertEq(escrow.BPS_DENOMINATOR(), 10_000, "denominator");
    }

    function test_constructor_emitsEvents() public {
        vm.expectEmit(true, true, true, true);
        emit AgentNexusEscrow.FeeRecipientUpdated(FEE);
        vm.expectEmit(true, true, true, true);
        emit AgentNexusEscrow.PlatformFeeUpdated(1000);
        vm.expectEmit(true, true, true, true);
        emit AgentNexusEscrow.RefundWindowUpdated(7 days);
        AgentNexusEscrow e = new AgentNexusEscrow(OWNER, FEE, 1000);
        assertEq(e.platformFeeBps(), 1000, "max fee accepted");
    }

    function test_constructor_revertsOnZeroFeeRecipient() public {
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroAddress.selector));
        new AgentNexusEscrow(OWNER, address(0), FEE_BPS);
    }

    function test_constructor_revertsOnFeeTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.FeeTooHigh.selector, uint16(1001)));
        new AgentNexusEscrow(OWNER, FEE, 1001);
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new AgentNexusEscrow(address(0), FEE, FEE_BPS);
    }

    // ------------------------------------------------------------------ deposit

    function test_depositEth_recordsPaymentAndEmits() public {
        vm.warp(1_000_000);
        uint64 deadline = uint64(1_000_000 + 7 days);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentDeposited(PID, BUYER, AGENT, AMOUNT, address(0), deadline);
        _depositEth(PID, AMOUNT);

        AgentNexusEscrow.Payment memory p = escrow.getPayment(PID);
        assertEq(p.payer, BUYER, "payer");
        assertEq(p.agentId, AGENT, "agentId");
        assertEq(p.amount, AMOUNT, "amount");
        assertEq(p.token, address(0), "token");
        assertEq(p.deadline, deadline, "deadline");
        assertTrue(p.status == AgentNexusEscrow.PaymentStatus.Deposited, "status");
        assertEq(address(escrow).balance, AMOUNT, "escrow balance");
        assertEq(BUYER.balance, 100 ether - AMOUNT, "buyer balance");
    }

    function test_depositToken_pullsTokensAndEmits() public {
        uint64 deadline = uint64(block.timestamp + 7 days);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentDeposited(PID, BUYER, AGENT, 500 ether, address(token), deadline);
        _depositToken(PID, 500 ether);

        AgentNexusEscrow.Payment memory p = escrow.getPayment(PID);
        assertEq(p.token, address(token), "token");
        assertEq(p.amount, 500 ether, "amount");
        assertEq(token.balanceOf(address(escrow)), 500 ether, "escrow token balance");
        assertEq(token.balanceOf(BUYER), 1_000_000 ether - 500 ether, "buyer token balance");
    }

    function test_deposit_revertsOnZeroAmount() public {
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroAmount.selector));
        escrow.depositPayment(PID, AGENT, 0, address(0));
    }

    function test_deposit_revertsOnDuplicateId() public {
        _depositEth(PID, AMOUNT);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.PaymentAlreadyExists.selector, PID));
        escrow.depositPayment{value: AMOUNT}(PID, AGENT, AMOUNT, address(0));
    }

    function test_deposit_revertsOnReuseAfterRefund() public {
        _depositToken(PID, 10 ether);
        vm.prank(OWNER);
        escrow.refundPayment(PID);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.PaymentAlreadyExists.selector, PID));
        escrow.depositPayment(PID, AGENT, 10 ether, address(token));
    }

    /// Nobody can occupy a buyer's paymentId (e.g. front-run it with 1 wei): the buyer can still pay under it.
    function test_deposit_revertsWhenPaymentIdNamesAnotherPayer() public {
        vm.deal(STRANGER, 1 ether);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.PaymentIdNotPayer.selector, PID, STRANGER));
        escrow.depositPayment{value: 1}(PID, AGENT, 1, address(0));
        assertTrue(_status(PID) == AgentNexusEscrow.PaymentStatus.None, "id still free");

        _depositEth(PID, AMOUNT);
        assertEq(escrow.getPayment(PID).payer, BUYER, "buyer paid");
    }

    function testFuzz_deposit_onlyThePayerNamedInTheIdMayUseIt(address caller, uint96 n) public {
        vm.assume(caller != BUYER);
        vm.deal(caller, 1);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.PaymentIdNotPayer.selector, _pid(BUYER, n), caller));
        escrow.depositPayment{value: 1}(_pid(BUYER, n), AGENT, 1, address(0));
    }

    function test_depositEth_revertsOnWrongValue() public {
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.InvalidMsgValue.selector, AMOUNT, AMOUNT - 1));
        escrow.depositPayment{value: AMOUNT - 1}(PID, AGENT, AMOUNT, address(0));
    }

    function test_depositToken_revertsWithEthAttached() public {
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.InvalidMsgValue.selector, 0, 1));
        escrow.depositPayment{value: 1}(PID, AGENT, 10 ether, address(token));
    }

    function test_depositToken_revertsWithoutAllowance() public {
        token.mint(STRANGER, 10 ether);
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, 10 ether)
        );
        escrow.depositPayment(_pid(STRANGER, 1), AGENT, 10 ether, address(token));
    }

    function test_depositToken_revertsOnFalseReturningToken() public {
        FalseReturningToken bad = new FalseReturningToken();
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(bad)));
        escrow.depositPayment(PID, AGENT, 10 ether, address(bad));
    }

    function test_depositToken_revertsOnFeeOnTransferToken() public {
        FeeOnTransferToken fot = new FeeOnTransferToken();
        fot.mint(BUYER, 100 ether);
        vm.prank(BUYER);
        fot.approve(address(escrow), type(uint256).max);
        vm.prank(BUYER);
        vm.expectRevert(
            abi.encodeWithSelector(AgentNexusEscrow.UnsupportedToken.selector, address(fot), 100 ether, 99 ether)
        );
        escrow.depositPayment(PID, AGENT, 100 ether, address(fot));
    }

    // ------------------------------------------------------------------ release

    function test_releaseEth_byOwner_paysCreatorAndFee() public {
        _depositEth(PID, AMOUNT);
        uint256 fee = AMOUNT * FEE_BPS / 10_000; // 0.025 ether
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentReleased(PID, CREATOR, AMOUNT - fee, fee);
        vm.prank(OWNER);
        escrow.releasePayment(PID);

        assertEq(fee, 0.025 ether, "fee value");
        assertEq(CREATOR.balance, AMOUNT - fee, "creator");
        assertEq(FEE.balance, fee, "fee recipient");
        assertEq(address(escrow).balance, 0, "escrow drained");
        assertTrue(_status(PID) == AgentNexusEscrow.PaymentStatus.Released, "status");
    }

    function test_releaseToken_byOperator_paysCreatorAndFee() public {
        _depositToken(PID, 1000 ether);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentReleased(PID, CREATOR, 975 ether, 25 ether);
        vm.prank(OPERATOR);
        escrow.releasePayment(PID);

        assertEq(token.balanceOf(CREATOR), 975 ether, "creator");
        assertEq(token.balanceOf(FEE), 25 ether, "fee recipient");
        assertEq(token.balanceOf(address(escrow)), 0, "escrow drained");
    }

    function test_release_zeroFee_skipsFeeTransfer() public {
        vm.prank(OWNER);
        escrow.setPlatformFee(0);
        _depositEth(PID, AMOUNT);
        vm.prank(OWNER);
        escrow.releasePayment(PID);
        assertEq(CREATOR.balance, AMOUNT, "creator gets all");
        assertEq(FEE.balance, 0, "no fee");
    }

    function test_release_usesCurrentFeeAndRecipient() public {
        _depositEth(PID, AMOUNT);
        vm.startPrank(OWNER);
        escrow.setPlatformFee(1000);
        escrow.setFeeRecipient(STRANGER);
        escrow.releasePayment(PID);
        vm.stopPrank();
        assertEq(STRANGER.balance, 0.1 ether, "new recipient, new fee");
        assertEq(CREATOR.balance, 0.9 ether, "creator");
    }

    function test_release_revertsForStranger() public {
        _depositEth(PID, AMOUNT);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.NotOperator.selector, STRANGER));
        escrow.releasePayment(PID);
    }

    function test_release_revertsForPayer() public {
        _depositEth(PID, AMOUNT);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.NotOperator.selector, BUYER));
        escrow.releasePayment(PID);
    }

    function test_release_revertsForRevokedOperator() public {
        _depositEth(PID, AMOUNT);
        vm.prank(OWNER);
        escrow.setOperator(OPERATOR, false);
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.NotOperator.selector, OPERATOR));
        escrow.releasePayment(PID);
    }

    function test_release_revertsForUnknownPayment() public {
        vm.prank(OWNER);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.None));
        escrow.releasePayment(PID);
    }

    function test_release_revertsWhenAlreadyReleased() public {
        _depositEth(PID, AMOUNT);
        vm.startPrank(OWNER);
        escrow.releasePayment(PID);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.Released));
        escrow.releasePayment(PID);
        vm.stopPrank();
    }

    function test_release_revertsWhenRefunded() public {
        _depositEth(PID, AMOUNT);
        vm.startPrank(OWNER);
        escrow.refundPayment(PID);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.Refunded));
        escrow.releasePayment(PID);
        vm.stopPrank();
    }

    function test_release_revertsWhenCreatorPayoutNotSet() public {
        vm.prank(BUYER);
        escrow.depositPayment{value: AMOUNT}(PID, 7, AMOUNT, address(0));
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.CreatorPayoutNotSet.selector, uint256(7)));
        escrow.releasePayment(PID);
    }

    function test_release_revertsWhenCreatorRejectsEth() public {
        Rejecter rejecter = new Rejecter();
        vm.prank(OWNER);
        escrow.setCreatorPayout(AGENT, address(rejecter));
        _depositEth(PID, AMOUNT);
        vm.prank(OWNER);
        vm.expectRevert(
            abi.encodeWithSelector(AgentNexusEscrow.TransferFailed.selector, address(rejecter), AMOUNT - 0.025 ether)
        );
        escrow.releasePayment(PID);
        assertTrue(_status(PID) == AgentNexusEscrow.PaymentStatus.Deposited, "state rolled back");
    }

    function test_release_revertsWhenFeeRecipientRejectsEth() public {
        Rejecter rejecter = new Rejecter();
        vm.prank(OWNER);
        escrow.setFeeRecipient(address(rejecter));
        _depositEth(PID, AMOUNT);
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.TransferFailed.selector, address(rejecter), 0.025 ether));
        escrow.releasePayment(PID);
    }

    // ------------------------------------------------------------------ refund

    function test_refundEth_byOwnerBeforeDeadline() public {
        _depositEth(PID, AMOUNT);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentRefunded(PID, BUYER, AMOUNT);
        vm.prank(OWNER);
        escrow.refundPayment(PID);
        assertEq(BUYER.balance, 100 ether, "buyer made whole");
        assertEq(address(escrow).balance, 0, "escrow drained");
        assertTrue(_status(PID) == AgentNexusEscrow.PaymentStatus.Refunded, "status");
    }

    function test_refundToken_byOperatorBeforeDeadline() public {
        _depositToken(PID, 300 ether);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PaymentRefunded(PID, BUYER, 300 ether);
        vm.prank(OPERATOR);
        escrow.refundPayment(PID);
        assertEq(token.balanceOf(BUYER), 1_000_000 ether, "buyer made whole");
        assertEq(token.balanceOf(address(escrow)), 0, "escrow drained");
    }

    function test_refund_byPayerAfterDeadline() public {
        _depositEth(PID, AMOUNT);
        uint64 deadline = escrow.getPayment(PID).deadline;
        vm.warp(deadline + 1);
        vm.prank(BUYER);
        escrow.refundPayment(PID);
        assertEq(BUYER.balance, 100 ether, "refunded");
        assertTrue(_status(PID) == AgentNexusEscrow.PaymentStatus.Refunded, "status");
    }

    function test_refund_byPayerAtDeadlineReverts() public {
        _depositEth(PID, AMOUNT);
        uint64 deadline = escrow.getPayment(PID).deadline;
        vm.warp(deadline);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.RefundWindowActive.selector, PID, deadline));
        escrow.refundPayment(PID);
    }

    function test_refund_revertsForStranger() public {
        _depositEth(PID, AMOUNT);
        vm.warp(block.timestamp + 30 days);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.NotOperator.selector, STRANGER));
        escrow.refundPayment(PID);
    }

    function test_refund_revertsForUnknownPayment() public {
        vm.prank(OWNER);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.None));
        escrow.refundPayment(PID);
    }

    function test_refund_revertsWhenReleased() public {
        _depositEth(PID, AMOUNT);
        vm.prank(OWNER);
        escrow.releasePayment(PID);
        vm.warp(block.timestamp + 30 days);
        vm.prank(BUYER);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.Released));
        escrow.refundPayment(PID);
    }

    function test_refund_revertsWhenAlreadyRefunded() public {
        _depositEth(PID, AMOUNT);
        vm.startPrank(OWNER);
        escrow.refundPayment(PID);
        vm.expectRevert(_statusErr(PID, AgentNexusEscrow.PaymentStatus.Refunded));
        escrow.refundPayment(PID);
        vm.stopPrank();
    }

    function test_refund_revertsWhenPayerRejectsEth() public {
        Rejecter rejecter = new Rejecter();
        vm.deal(address(rejecter), 0);
        bytes32 id = _pid(address(rejecter), 1);
        rejecter.deposit{value: AMOUNT}(escrow, id, AGENT);
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.TransferFailed.selector, address(rejecter), AMOUNT));
        escrow.refundPayment(id);
    }

    function test_refund_usesDeadlineFromDepositTime() public {
        _depositEth(PID, AMOUNT);
        uint64 deadline = escrow.getPayment(PID).deadline;
        vm.prank(OWNER);
        escrow.setRefundWindow(1 days); // does not shorten existing payments
        vm.warp(block.timestamp + 2 days);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.RefundWindowActive.selector, PID, deadline));
        escrow.refundPayment(PID);
    }

    // ------------------------------------------------------------------ reentrancy

    function test_reentrancy_creatorCannotReenterRelease() public {
        ReentrantAttacker attacker = new ReentrantAttacker(escrow);
        vm.startPrank(OWNER);
        escrow.setCreatorPayout(AGENT, address(attacker));
        escrow.setOperator(address(attacker), true); // even an authorised operator cannot re-enter
        vm.stopPrank();
        bytes32 other = _pid(BUYER, 2);
        _depositEth(PID, AMOUNT);
        _depositEth(other, AMOUNT);
        attacker.arm(ReentrantAttacker.Mode.Release, other);

        vm.prank(OWNER);
        escrow.releasePayment(PID);

        assertEq(attacker.attempts(), 1, "hook ran once");
        assertEq(
            attacker.lastError(),
            abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector),
            "reentrancy blocked"
        );
        assertTrue(_status(other) == AgentNexusEscrow.PaymentStatus.Deposited, "other untouched");
        assertEq(address(escrow).balance, AMOUNT, "only one payment left escrow");
    }

    function test_reentrancy_payerCannotDoubleRefund() public {
        ReentrantAttacker attacker = new ReentrantAttacker(escrow);
        vm.deal(address(attacker), 0);
        bytes32 id = _pid(address(attacker), 1);
        attacker.deposit{value: AMOUNT}(id, AGENT);
        _depositEth(_pid(BUYER, 3), 5 ether);
        attacker.arm(ReentrantAttacker.Mode.Refund, id);

        vm.warp(block.timestamp + 8 days);
        attacker.refund(id);

        assertEq(address(attacker).balance, AMOUNT, "refunded exactly once");
        assertEq(address(escrow).balance, 5 ether, "victim funds safe");
        assertEq(
            attacker.lastError(),
            abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector),
            "reentrancy blocked"
        );
    }

    function test_reentrancy_cannotDepositDuringPayout() public {
        ReentrantAttacker attacker = new ReentrantAttacker(escrow);
        vm.deal(address(attacker), 10 ether);
        vm.prank(OWNER);
        escrow.setCreatorPayout(AGENT, address(attacker));
        _depositEth(PID, AMOUNT);
        attacker.arm(ReentrantAttacker.Mode.Deposit, _pid(address(attacker), 1));
        vm.prank(OWNER);
        escrow.releasePayment(PID);
        assertEq(
            attacker.lastError(),
            abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector),
            "reentrancy blocked"
        );
        assertTrue(
            _status(_pid(address(attacker), 1)) == AgentNexusEscrow.PaymentStatus.None, "no nested deposit"
        );
    }

    // ------------------------------------------------------------------ admin

    function test_setPlatformFee() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.PlatformFeeUpdated(1000);
        vm.prank(OWNER);
        escrow.setPlatformFee(1000);
        assertEq(escrow.platformFeeBps(), 1000, "fee");
    }

    function test_setPlatformFee_revertsAboveMax() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.FeeTooHigh.selector, uint16(1001)));
        escrow.setPlatformFee(1001);
    }

    function test_setPlatformFee_onlyOwner() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, OPERATOR));
        escrow.setPlatformFee(100);
    }

    function test_setFeeRecipient() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.FeeRecipientUpdated(STRANGER);
        vm.prank(OWNER);
        escrow.setFeeRecipient(STRANGER);
        assertEq(escrow.feeRecipient(), STRANGER, "recipient");
    }

    function test_setFeeRecipient_revertsOnZero() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroAddress.selector));
        escrow.setFeeRecipient(address(0));
    }

    function test_setFeeRecipient_onlyOwner() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, STRANGER));
        escrow.setFeeRecipient(STRANGER);
    }

    function test_setOperator() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.OperatorUpdated(STRANGER, true);
        vm.prank(OWNER);
        escrow.setOperator(STRANGER, true);
        assertTrue(escrow.isOperator(STRANGER), "authorised");

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.OperatorUpdated(STRANGER, false);
        vm.prank(OWNER);
        escrow.setOperator(STRANGER, false);
        assertFalse(escrow.isOperator(STRANGER), "revoked");
    }

    function test_setOperator_revertsOnZero() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroAddress.selector));
        escrow.setOperator(address(0), true);
    }

    function test_setOperator_onlyOwner() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, OPERATOR));
        escrow.setOperator(STRANGER, true);
    }

    function test_setCreatorPayout_byOwnerAndOperator() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.CreatorPayoutSet(1, STRANGER);
        vm.prank(OWNER);
        escrow.setCreatorPayout(1, STRANGER);
        assertEq(escrow.creatorPayout(1), STRANGER, "owner set");

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.CreatorPayoutSet(1, CREATOR);
        vm.prank(OPERATOR);
        escrow.setCreatorPayout(1, CREATOR);
        assertEq(escrow.creatorPayout(1), CREATOR, "operator set");
    }

    function test_setCreatorPayout_revertsForStranger() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.NotOperator.selector, STRANGER));
        escrow.setCreatorPayout(1, STRANGER);
    }

    function test_setCreatorPayout_revertsOnZero() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroAddress.selector));
        escrow.setCreatorPayout(1, address(0));
    }

    function test_setRefundWindow_appliesToNewDeposits() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AgentNexusEscrow.RefundWindowUpdated(1 hours);
        vm.prank(OWNER);
        escrow.setRefundWindow(1 hours);
        assertEq(escrow.refundWindow(), 1 hours, "window");
        _depositEth(PID, AMOUNT);
        assertEq(escrow.getPayment(PID).deadline, block.timestamp + 1 hours, "deadline");
    }

    function test_setRefundWindow_revertsOnZero() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.ZeroRefundWindow.selector));
        escrow.setRefundWindow(0);
    }

    function test_setRefundWindow_onlyOwner() public {
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, OPERATOR));
        escrow.setRefundWindow(1);
    }

    function test_getPayment_unknownIsEmpty() public view {
        AgentNexusEscrow.Payment memory p = escrow.getPayment(keccak256("nope"));
        assertEq(p.payer, address(0), "payer");
        assertEq(p.amount, 0, "amount");
        assertTrue(p.status == AgentNexusEscrow.PaymentStatus.None, "status");
    }

    // ------------------------------------------------------------------ fuzz

    /// Fee math on ETH: creator + fee == amount, fee == floor(amount * bps / 10000).
    function testFuzz_releaseEth_feeMath(uint256 amount, uint16 bps) public {
        amount = bound(amount, 1, 1e30);
        bps = uint16(bound(bps, 0, 1000));
        vm.prank(OWNER);
        escrow.setPlatformFee(bps);
        vm.deal(BUYER, amount);
        _depositEth(PID, amount);
        vm.prank(OPERATOR);
        escrow.releasePayment(PID);

        uint256 fee = amount * bps / 10_000;
        assertEq(FEE.balance, fee, "fee");
        assertEq(CREATOR.balance, amount - fee, "creator");
        assertEq(CREATOR.balance + FEE.balance, amount, "conservation");
        assertEq(address(escrow).balance, 0, "escrow empty");
    }

    /// Fee math on ERC-20 over the whole uint256 range (amount * bps would overflow; mulDiv must not).
    function testFuzz_releaseToken_feeMathFullRange(uint256 amount, uint16 bps) public {
        amount = bound(amount, 1, type(uint256).max - token.totalSupply());
        bps = uint16(bound(bps, 0, 1000));
        vm.prank(OWNER);
        escrow.setPlatformFee(bps);
        token.mint(STRANGER, amount);
        bytes32 id = _pid(STRANGER, 1);
        vm.startPrank(STRANGER);
        token.approve(address(escrow), amount);
        escrow.depositPayment(id, AGENT, amount, address(token));
        vm.stopPrank();
        vm.prank(OWNER);
        escrow.releasePayment(id);

        // floor(amount * bps / 10000) computed without overflow.
        // forge-lint: disable-next-line(divide-before-multiply)
        uint256 fee = (amount / 10_000) * bps + ((amount % 10_000) * bps) / 10_000;
        assertEq(token.balanceOf(FEE), fee, "fee");
        assertEq(token.balanceOf(CREATOR), amount - fee, "creator");
        assertEq(token.balanceOf(address(escrow)), 0, "escrow empty");
    }

    function testFuzz_setPlatformFee_bounds(uint16 bps) public {
        vm.prank(OWNER);
        if (bps > 1000) {
            vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.FeeTooHigh.selector, bps));
            escrow.setPlatformFee(bps);
        } else {
            escrow.setPlatformFee(bps);
            assertEq(escrow.platformFeeBps(), bps, "fee");
        }
    }

    function testFuzz_constructor_feeBounds(uint16 bps) public {
        if (bps > 1000) {
            vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.FeeTooHigh.selector, bps));
            new AgentNexusEscrow(OWNER, FEE, bps);
        } else {
            assertEq(new AgentNexusEscrow(OWNER, FEE, bps).platformFeeBps(), bps, "fee");
        }
    }

    /// Payer self-refund is allowed strictly after the deadline, never before.
    function testFuzz_payerRefundTiming(uint256 amount, uint64 window, uint256 elapsed) public {
        amount = bound(amount, 1, 100 ether);
        window = uint64(bound(window, 1, 365 days));
        elapsed = bound(elapsed, 0, 2 * uint256(window));
        vm.prank(OWNER);
        escrow.setRefundWindow(window);
        _depositEth(PID, amount);
        uint64 deadline = escrow.getPayment(PID).deadline;
        vm.warp(block.timestamp + elapsed);
        vm.prank(BUYER);
        if (block.timestamp > deadline) {
            escrow.refundPayment(PID);
            assertEq(BUYER.balance, 100 ether, "refunded");
        } else {
            vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.RefundWindowActive.selector, PID, deadline));
            escrow.refundPayment(PID);
        }
    }

    function testFuzz_depositEth_valueMustMatch(uint256 amount, uint256 value) public {
        amount = bound(amount, 1, 100 ether);
        value = bound(value, 0, 100 ether);
        vm.prank(BUYER);
        if (value != amount) {
            vm.expectRevert(abi.encodeWithSelector(AgentNexusEscrow.InvalidMsgValue.selector, amount, value));
        }
        escrow.depositPayment{value: value}(PID, AGENT, amount, address(0));
    }
}
