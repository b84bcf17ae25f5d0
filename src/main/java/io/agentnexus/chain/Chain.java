package io.agentnexus.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * Everything the service asks of the chain: the escrow and entitlement contracts behind one port.
 * The only implementation talks JSON-RPC through web3j; no other package imports web3j.
 * Failures to reach the chain are {@link io.agentnexus.platform.error.DependencyUnavailableException}.
 */
public interface Chain {

    long chainId();

    String escrowAddress();

    /** The buyer's wallet sends this: depositPayment(paymentId, agentId, amount, token) to the escrow. */
    UnsignedTransaction depositTransaction(String paymentId, long agentId, BigInteger amount, String token);

    /** ERC-20 approve(escrow, amount) on the token: what precedes a deposit in that token. */
    UnsignedTransaction approveTransaction(String token, BigInteger amount);

    /** The receipt of a transaction as far as our escrow is concerned. */
    Receipt receipt(String txHash);

    /**
     * Mints the one access token that escrow payment {@code paymentId} bought, to the wallet (operator). The
     * chain makes it idempotent per payment: however many callers, replicas and retries, one token. The hash
     * of the minting transaction, or null when the payment had minted (or been revoked) already.
     */
    String mintForPayment(String paymentId, String wallet, long agentId);

    /** Burns the token payment {@code paymentId} minted, once; a payment not minted yet never mints (operator). */
    void burnForPayment(String paymentId);

    boolean hasValidToken(String wallet, long agentId);

    /** Seconds an access token of the agent stays valid after minting; 0: forever. */
    long tokenExpirySeconds(long agentId);

    /** Seconds after a deposit until its payer may refund it themselves (the escrow's refundWindow). */
    long refundWindowSeconds();

    /** Pays the escrowed payment out to the creator (setting the agent's payout address first). */
    String release(String paymentId, long agentId, String creatorWallet);

    /** Returns the escrowed payment to its payer. */
    String refund(String paymentId);

    /** The newest block with enough confirmations. */
    long confirmedBlock();

    /** Deposits, releases and refunds of our escrow in blocks [from, to], in chain order. */
    List<EscrowEvent> escrowEvents(long fromBlock, long toBlock);

    record UnsignedTransaction(String to, String data, String value, long chainId) {
    }

    /**
     * One PaymentDeposited event. Addresses lowercase; paymentId 0x + 64 hex. Anyone can deposit, so the
     * agent id is whatever the depositor chose (any uint256), not necessarily one of ours.
     */
    record Deposit(String paymentId, String payer, BigInteger agentId, BigInteger amount, String token, String txHash,
            long blockNumber) {
    }

    /** A mined transaction: did it succeed, how deep is it, which deposits of our escrow does it hold. */
    record Receipt(Status status, long confirmations, List<Deposit> deposits) {

        public enum Status {
            NOT_FOUND, REVERTED, SUCCEEDED
        }
    }

    sealed interface EscrowEvent {
        String paymentId();
    }

    record Deposited(Deposit deposit) implements EscrowEvent {
        @Override
        public String paymentId() {
            return deposit.paymentId();
        }
    }

    record Released(String paymentId, String txHash) implements EscrowEvent {
    }

    record Refunded(String paymentId, String txHash) implements EscrowEvent {
    }
}
