// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title AgentNexusEscrow
/// @notice Holds buyer payments for AI agents (native ETH or ERC-20) until the platform releases them
///         to the agent creator (minus a platform fee) or refunds them to the buyer.
/// @dev Payments are keyed by an off-chain generated `paymentId` whose first 20 bytes are the payer's address,
///      so that no one but the payer can occupy it (e.g. front-run it with a 1-wei deposit). Release and refund
///      are restricted to the owner or authorised operators; the payer may also self-refund once the refund
///      deadline has passed.
contract AgentNexusEscrow is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Lifecycle of an escrowed payment.
    enum PaymentStatus {
        None,
        Deposited,
        Released,
        Refunded
    }

    /// @notice An escrowed payment.
    /// @param payer Account that deposited the funds (and receives refunds).
    /// @param agentId Agent the payment is for.
    /// @param amount Amount escrowed (wei or token base units).
    /// @param token ERC-20 token address, or address(0) for native ETH.
    /// @param deadline Timestamp after which the payer may refund themselves.
    /// @param status Current lifecycle status.
    struct Payment {
        address payer;
        uint256 agentId;
        uint256 amount;
        address token;
        uint64 deadline;
        PaymentStatus status;
    }

    /// @notice Maximum platform fee: 1000 bps = 10%.
    uint16 public constant MAX_FEE_BPS = 1000;
    /// @notice Basis-point denominator.
    uint16 public constant BPS_DENOMINATOR = 10_000;

    /// @notice Platform fee in basis points, applied on release.
    uint16 public platformFeeBps;
    /// @notice Receiver of platform fees.
    address public feeRecipient;
    /// @notice Seconds after deposit until the payer may self-refund.
    uint64 public refundWindow = 7 days;
    /// @notice Accounts allowed to release/refund payments and set creator payouts.
    mapping(address => bool) public isOperator;
    /// @notice Payout address of the creator of each agent.
    mapping(uint256 => address) public creatorPayout;

    mapping(bytes32 => Payment) private _payments;

    /// @notice Emitted when a payment is escrowed.
    event PaymentDeposited(
        bytes32 indexed paymentId,
        address indexed payer,
        uint256 indexed agentId,
        uint256 amount,
        address token,
        uint64 deadline
    );
    /// @notice Emitted when a payment is released to the creator.
    event PaymentReleased(bytes32 indexed paymentId, address indexed creator, uint256 creatorAmount, uint256 fee);
    /// @notice Emitted when a payment is refunded to the payer.
    event PaymentRefunded(bytes32 indexed paymentId, address indexed payer, uint256 amount);
    /// @notice Emitted when the platform fee changes.
    event PlatformFeeUpdated(uint16 bps);
    /// @notice Emitted when the fee recipient changes.
    event FeeRecipientUpdated(address recipient);
    /// @notice Emitted when an operator is added or removed.
    event OperatorUpdated(address indexed operator, bool authorised);
    /// @notice Emitted when an agent's creator payout address is set.
    event CreatorPayoutSet(uint256 indexed agentId, address payout);
    /// @notice Emitted when the refund window changes.
    event RefundWindowUpdated(uint64 seconds_);

    /// @notice Fee above MAX_FEE_BPS.
    error FeeTooHigh(uint16 bps);
    /// @notice A required address argument was address(0).
    error ZeroAddress();
    /// @notice Amount must be greater than zero.
    error ZeroAmount();
    /// @notice Refund window must be greater than zero.
    error ZeroRefundWindow();
    /// @notice The paymentId has already been used.
    error PaymentAlreadyExists(bytes32 paymentId);
    /// @notice The paymentId's first 20 bytes are not the depositing account.
    error PaymentIdNotPayer(bytes32 paymentId, address caller);
    /// @notice msg.value does not match what the deposit requires.
    error InvalidMsgValue(uint256 expected, uint256 actual);
    /// @notice The token transferred a different amount than requested (fee-on-transfer tokens are unsupported).
    error UnsupportedToken(address token, uint256 expected, uint256 received);
    /// @notice The payment is not in the Deposited state.
    error InvalidPaymentStatus(bytes32 paymentId, PaymentStatus status);
    /// @notice Caller is neither the owner nor an authorised operator.
    error NotOperator(address caller);
    /// @notice The payer tried to refund before the deadline.
    error RefundWindowActive(bytes32 paymentId, uint64 deadline);
    /// @notice No creator payout address is configured for the agent.
    error CreatorPayoutNotSet(uint256 agentId);
    /// @notice A native ETH transfer failed.
    error TransferFailed(address to, uint256 amount);

    /// @dev Restricts to the owner or an authorised operator.
    modifier onlyOperatorOrOwner() {
        _checkOperatorOrOwner();
        _;
    }

    /// @notice Deploys the escrow.
    /// @dev Parameter names intentionally match the public getters (ABI compatibility), hence shadowing.
    /// @param initialOwner Owner of the contract.
    /// @param feeRecipient Receiver of platform fees (non-zero).
    /// @param platformFeeBps Platform fee in basis points (<= 1000).
    constructor(address initialOwner, address feeRecipient, uint16 platformFeeBps) Ownable(initialOwner) {
        _setFeeRecipient(feeRecipient);
        _setPlatformFee(platformFeeBps);
        emit RefundWindowUpdated(refundWindow);
    }

    // ---------------------------------------------------------------------------------------------
    // Payments
    // ---------------------------------------------------------------------------------------------

    /// @notice Escrows a payment for an agent.
    /// @dev For native ETH pass token = address(0) and msg.value == amount. For ERC-20 the caller must have
    ///      approved this contract for `amount` and msg.value must be 0. Fee-on-transfer tokens revert.
    /// @param paymentId Unique payment identifier (can be used once): the payer's address in its first 20 bytes,
    ///        any value (e.g. random) in the last 12.
    /// @param agentId Agent being purchased.
    /// @param amount Amount to escrow (> 0).
    /// @param token ERC-20 token, or address(0) for native ETH.
    function depositPayment(bytes32 paymentId, uint256 agentId, uint256 amount, address token)
        external
        payable
        nonReentrant
    {
        if (address(bytes20(paymentId)) != msg.sender) revert PaymentIdNotPayer(paymentId, msg.sender);
        if (amount == 0) revert ZeroAmount();
        if (_payments[paymentId].status != PaymentStatus.None) revert PaymentAlreadyExists(paymentId);
        uint256 expectedValue = token == address(0) ? amount : 0;
        if (msg.value != expectedValue) revert InvalidMsgValue(expectedValue, msg.value);

        uint64 deadline = uint64(block.timestamp) + refundWindow;
        _payments[paymentId] = Payment({
            payer: msg.sender,
            agentId: agentId,
            amount: amount,
            token: token,
            deadline: deadline,
            status: PaymentStatus.Deposited
        });
        emit PaymentDeposited(paymentId, msg.sender, agentId, amount, token, deadline);

        if (token != address(0)) {
            IERC20 erc20 = IERC20(token);
            uint256 balanceBefore = erc20.balanceOf(address(this));
            erc20.safeTransferFrom(msg.sender, address(this), amount);
            uint256 received = erc20.balanceOf(address(this)) - balanceBefore;
            if (received != amount) revert UnsupportedToken(token, amount, received);
        }
    }

    /// @notice Releases an escrowed payment: `amount - fee` to the agent creator, `fee` to the fee recipient.
    /// @dev Only owner or operator. fee = amount * platformFeeBps / 10000 (rounded down) at release time.
    /// @param paymentId Payment to release.
    function releasePayment(bytes32 paymentId) external nonReentrant onlyOperatorOrOwner {
        Payment storage p = _payments[paymentId];
        if (p.status != PaymentStatus.Deposited) revert InvalidPaymentStatus(paymentId, p.status);
        address creator = creatorPayout[p.agentId];
        if (creator == address(0)) revert CreatorPayoutNotSet(p.agentId);

        uint256 amount = p.amount;
        uint256 fee = Math.mulDiv(amount, platformFeeBps, BPS_DENOMINATOR);
        uint256 creatorAmount = amount - fee;
        address token = p.token;
        p.status = PaymentStatus.Released;
        emit PaymentReleased(paymentId, creator, creatorAmount, fee);

        _payOut(token, creator, creatorAmount);
        _payOut(token, feeRecipient, fee);
    }

    /// @notice Refunds an escrowed payment in full to the payer.
    /// @dev Callable by the owner or an operator at any time, or by the payer once block.timestamp > deadline.
    /// @param paymentId Payment to refund.
    function refundPayment(bytes32 paymentId) external nonReentrant {
        Payment storage p = _payments[paymentId];
        if (p.status != PaymentStatus.Deposited) revert InvalidPaymentStatus(paymentId, p.status);
        address payer = p.payer;
        if (msg.sender != owner() && !isOperator[msg.sender]) {
            if (msg.sender != payer) revert NotOperator(msg.sender);
            if (block.timestamp <= p.deadline) revert RefundWindowActive(paymentId, p.deadline);
        }

        uint256 amount = p.amount;
        p.status = PaymentStatus.Refunded;
        emit PaymentRefunded(paymentId, payer, amount);

        _payOut(p.token, payer, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the platform fee.
    /// @param bps New fee in basis points (<= 1000).
    function setPlatformFee(uint16 bps) external onlyOwner {
        _setPlatformFee(bps);
    }

    /// @notice Sets the fee recipient.
    /// @param recipient New fee recipient (non-zero).
    function setFeeRecipient(address recipient) external onlyOwner {
        _setFeeRecipient(recipient);
    }

    /// @notice Authorises or de-authorises an operator.
    /// @param operator Operator account.
    /// @param authorised True to authorise, false to revoke.
    function setOperator(address operator, bool authorised) external onlyOwner {
        if (operator == address(0)) revert ZeroAddress();
        isOperator[operator] = authorised;
        emit OperatorUpdated(operator, authorised);
    }

    /// @notice Sets the payout address for an agent's creator.
    /// @dev Owner or operator only.
    /// @param agentId Agent id.
    /// @param payout Creator payout address (non-zero).
    function setCreatorPayout(uint256 agentId, address payout) external onlyOperatorOrOwner {
        if (payout == address(0)) revert ZeroAddress();
        creatorPayout[agentId] = payout;
        emit CreatorPayoutSet(agentId, payout);
    }

    /// @notice Sets the refund window applied to future deposits.
    /// @param seconds_ Window length in seconds (> 0).
    function setRefundWindow(uint64 seconds_) external onlyOwner {
        if (seconds_ == 0) revert ZeroRefundWindow();
        refundWindow = seconds_;
        emit RefundWindowUpdated(seconds_);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Returns a payment record (all-zero with status None if unknown).
    /// @param paymentId Payment identifier.
    /// @return The payment.
    function getPayment(bytes32 paymentId) external view returns (Payment memory) {
        return _payments[paymentId];
    }

    // ---------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------

    function _setPlatformFee(uint16 bps) private {
        if (bps > MAX_FEE_BPS) revert FeeTooHigh(bps);
        platformFeeBps = bps;
        emit PlatformFeeUpdated(bps);
    }

    function _setFeeRecipient(address recipient) private {
        if (recipient == address(0)) revert ZeroAddress();
        feeRecipient = recipient;
        emit FeeRecipientUpdated(recipient);
    }

    function _checkOperatorOrOwner() private view {
        if (msg.sender != owner() && !isOperator[msg.sender]) revert NotOperator(msg.sender);
    }

    /// @dev Sends `amount` of `token` (address(0) = ETH) to `to`. Zero amounts are skipped.
    function _payOut(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
