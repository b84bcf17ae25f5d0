// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title AgentNexusEntitlements
/// @notice ERC-1155 access tokens for AgentNexus agents. Token id = agentId. Holding a valid (non-expired)
///         token entitles the holder to use the agent.
/// @dev Minting, burning and configuration are restricted to the owner or authorised operators. A paid purchase
///      mints through {mintForPayment}, which the chain itself makes idempotent per escrow paymentId: however
///      many callers, replicas or retries report one payment, it mints one token; {burnForPayment} takes exactly
///      that token back, once. Tokens are soul-bound by default; holder-to-holder transfers must be enabled per
///      agent with {setTransferable}.
contract AgentNexusEntitlements is ERC1155, Ownable {
    /// @notice What has become of the token an escrow payment bought.
    enum PaymentState {
        None,
        Minted,
        Burned
    }

    /// @notice The token an escrow payment bought.
    /// @param holder Account it was minted to (address(0) if the payment was revoked before any mint).
    /// @param state Whether it is still to be minted, minted, or burned (revoked).
    /// @param agentId Agent id (= token id).
    struct PaymentMint {
        address holder;
        PaymentState state;
        uint256 agentId;
    }

    /// @notice Accounts allowed to mint, burn and configure tokens.
    mapping(address => bool) public isOperator;
    /// @notice Timestamp of the latest mint of `agentId` to `holder` (starts the validity period).
    mapping(address holder => mapping(uint256 agentId => uint256)) public mintedAt;
    /// @notice Validity period in seconds per agent token (0 = never expires).
    mapping(uint256 => uint64) public tokenExpiry;
    /// @notice Whether holder-to-holder transfers are allowed per agent token.
    mapping(uint256 => bool) public transferable;

    /// @notice The token each escrow payment bought (all-zero with state None if it has minted nothing).
    mapping(bytes32 paymentId => PaymentMint) public paymentMints;

    mapping(uint256 => string) private _tokenUris;

    /// @notice Emitted when an operator is added or removed.
    event OperatorUpdated(address indexed operator, bool authorised);
    /// @notice Emitted when entitlement tokens are minted.
    event EntitlementMinted(address indexed to, uint256 indexed agentId, uint256 amount);
    /// @notice Emitted when entitlement tokens are burned.
    event EntitlementBurned(address indexed from, uint256 indexed agentId, uint256 amount);
    /// @notice Emitted when the token an escrow payment bought is minted.
    event PaymentEntitlementMinted(bytes32 indexed paymentId, address indexed to, uint256 indexed agentId);
    /// @notice Emitted when a payment's entitlement is revoked; `amount` is 1 if a token was burned, else 0
    ///         (never minted, or the holder no longer has it).
    event PaymentEntitlementBurned(
        bytes32 indexed paymentId, address indexed from, uint256 indexed agentId, uint256 amount
    );
    /// @notice Emitted when an agent token's validity period changes.
    event TokenExpirySet(uint256 indexed agentId, uint64 seconds_);
    /// @notice Emitted when an agent token's transferability changes.
    event TransferabilitySet(uint256 indexed agentId, bool transferable_);

    /// @notice Caller is neither the owner nor an authorised operator.
    error NotOperator(address caller);
    /// @notice A required address argument was address(0).
    error ZeroAddress();
    /// @notice Amount must be greater than zero.
    error ZeroAmount();
    /// @notice paymentId must not be zero.
    error ZeroPaymentId();
    /// @notice Holder-to-holder transfer of a non-transferable token.
    error NonTransferable(uint256 agentId);

    /// @dev Restricts to the owner or an authorised operator.
    modifier onlyOperatorOrOwner() {
        _checkOperatorOrOwner();
        _;
    }

    /// @notice Deploys the entitlements collection.
    /// @param initialOwner Owner of the contract.
    /// @param baseUri Default metadata URI (ERC-1155 `{id}` substitution applies) for tokens without their own URI.
    constructor(address initialOwner, string memory baseUri) ERC1155(baseUri) Ownable(initialOwner) {}

    /// @notice Authorises or de-authorises an operator.
    /// @param operator Operator account.
    /// @param authorised True to authorise, false to revoke.
    function setOperator(address operator, bool authorised) external onlyOwner {
        if (operator == address(0)) revert ZeroAddress();
        isOperator[operator] = authorised;
        emit OperatorUpdated(operator, authorised);
    }

    /// @notice Mints the one token that escrow payment `paymentId` bought, unless that payment has already
    ///         minted (or been revoked): then it does nothing and does not revert, so that retries and
    ///         concurrent reports of one payment all succeed. Restarts the holder's validity period for `agentId`.
    /// @dev Owner or operator only. If `to` is a contract it must implement IERC1155Receiver.
    /// @param to Recipient (the payer).
    /// @param agentId Agent id (= token id).
    /// @param paymentId The escrow payment (non-zero).
    /// @return minted True if this call minted the token.
    function mintForPayment(address to, uint256 agentId, bytes32 paymentId)
        external
        onlyOperatorOrOwner
        returns (bool minted)
    {
        if (paymentId == bytes32(0)) revert ZeroPaymentId();
        PaymentMint storage payment = paymentMints[paymentId];
        if (payment.state != PaymentState.None) return false;
        payment.holder = to;
        payment.agentId = agentId;
        payment.state = PaymentState.Minted;
        mintedAt[to][agentId] = block.timestamp;
        emit PaymentEntitlementMinted(paymentId, to, agentId);
        _mint(to, agentId, 1, "");
        return true;
    }

    /// @notice Revokes what escrow payment `paymentId` bought: burns the one token it minted, once. A payment
    ///         that never minted is marked revoked, so that a late {mintForPayment} for it mints nothing.
    ///         Calling it again does nothing and does not revert.
    /// @dev Owner or operator only. Burns nothing if the holder no longer has the token (e.g. transferred or
    ///      burned with {burn}).
    /// @param paymentId The escrow payment (non-zero).
    /// @return burned Number of tokens this call burned (0 or 1).
    function burnForPayment(bytes32 paymentId) external onlyOperatorOrOwner returns (uint256 burned) {
        if (paymentId == bytes32(0)) revert ZeroPaymentId();
        PaymentMint storage payment = paymentMints[paymentId];
        PaymentState state = payment.state;
        if (state == PaymentState.Burned) return 0;
        payment.state = PaymentState.Burned;
        address holder = payment.holder;
        uint256 agentId = payment.agentId;
        if (state == PaymentState.Minted && balanceOf(holder, agentId) != 0) burned = 1;
        emit PaymentEntitlementBurned(paymentId, holder, agentId, burned);
        if (burned != 0) _burn(holder, agentId, 1);
    }

    /// @notice Mints entitlement tokens outside any payment (e.g. a grant by support); restarts the holder's validity period for `agentId`.
    /// @dev Owner or operator only. If `to` is a contract it must implement IERC1155Receiver.
    /// @param to Recipient.
    /// @param agentId Agent id (= token id).
    /// @param amount Number of tokens (> 0).
    function mintToken(address to, uint256 agentId, uint256 amount) external onlyOperatorOrOwner {
        if (amount == 0) revert ZeroAmount();
        mintedAt[to][agentId] = block.timestamp;
        emit EntitlementMinted(to, agentId, amount);
        _mint(to, agentId, amount, "");
    }

    /// @notice Burns entitlement tokens from any holder (outside any payment; see {burnForPayment}).
    /// @dev Owner or operator only.
    /// @param from Holder.
    /// @param agentId Agent id (= token id).
    /// @param amount Number of tokens (> 0).
    function burn(address from, uint256 agentId, uint256 amount) external onlyOperatorOrOwner {
        if (amount == 0) revert ZeroAmount();
        emit EntitlementBurned(from, agentId, amount);
        _burn(from, agentId, amount);
    }

    /// @notice Sets the validity period of an agent's tokens, counted from each holder's latest mint.
    /// @dev Owner or operator only. Applies retroactively to existing holders.
    /// @param agentId Agent id.
    /// @param seconds_ Validity in seconds; 0 = never expires.
    function setTokenExpiry(uint256 agentId, uint64 seconds_) external onlyOperatorOrOwner {
        tokenExpiry[agentId] = seconds_;
        emit TokenExpirySet(agentId, seconds_);
    }

    /// @notice Sets a per-token metadata URI (empty string reverts to the base URI).
    /// @dev Owner or operator only. Emits the ERC-1155 `URI` event with the effective URI.
    /// @param agentId Agent id.
    /// @param tokenUri Metadata URI.
    function setTokenURI(uint256 agentId, string calldata tokenUri) external onlyOperatorOrOwner {
        _tokenUris[agentId] = tokenUri;
        emit URI(uri(agentId), agentId);
    }

    /// @notice Enables or disables holder-to-holder transfers of an agent's tokens.
    /// @dev Owner or operator only.
    /// @param agentId Agent id.
    /// @param transferable_ True to allow transfers.
    function setTransferable(uint256 agentId, bool transferable_) external onlyOperatorOrOwner {
        transferable[agentId] = transferable_;
        emit TransferabilitySet(agentId, transferable_);
    }

    /// @notice Whether `user` currently holds a non-expired entitlement for `agentId`.
    /// @param user Account to check.
    /// @param agentId Agent id.
    /// @return True if balance > 0 and the token has not expired.
    function hasValidToken(address user, uint256 agentId) external view returns (bool) {
        if (balanceOf(user, agentId) == 0) return false;
        uint256 expiry = tokenExpiry[agentId];
        return expiry == 0 || block.timestamp < mintedAt[user][agentId] + expiry;
    }

    /// @notice Metadata URI of a token: the per-token URI if set, else the base URI.
    /// @param id Token id (= agentId).
    /// @return The URI.
    function uri(uint256 id) public view override returns (string memory) {
        string memory tokenUri = _tokenUris[id];
        return bytes(tokenUri).length > 0 ? tokenUri : super.uri(id);
    }

    /// @dev Blocks holder-to-holder transfers unless every id is transferable. Mints and burns always pass.
    ///      On an allowed transfer the recipient's validity clock becomes the later of its own and the
    ///      sender's, so a transfer can never extend a token's validity beyond what the sender had.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        override
    {
        if (from != address(0) && to != address(0)) {
            for (uint256 i = 0; i < ids.length; ++i) {
                uint256 id = ids[i];
                if (!transferable[id]) revert NonTransferable(id);
                uint256 senderMintedAt = mintedAt[from][id];
                if (values[i] != 0 && senderMintedAt > mintedAt[to][id]) mintedAt[to][id] = senderMintedAt;
            }
        }
        super._update(from, to, ids, values);
    }

    function _checkOperatorOrOwner() private view {
        if (msg.sender != owner() && !isOperator[msg.sender]) revert NotOperator(msg.sender);
    }
}
