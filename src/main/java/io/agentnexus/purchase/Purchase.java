package io.agentnexus.purchase;

import io.agentnexus.agent.Agent;
import io.agentnexus.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/** A buyer's payment for an agent, escrowed on-chain under {@link #paymentId}. */
@Entity
@Table(name = "purchases")
public class Purchase extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "agent_id")
    public Agent agent;

    @Enumerated(EnumType.STRING)
    public PurchaseKind kind = PurchaseKind.ACCESS;

    /** bytes32, 0x-hex: the escrow's key for this payment. */
    public String paymentId;

    @Column(precision = 78, scale = 0)
    public BigInteger amount;

    public String token;

    public long chainId;

    @Enumerated(EnumType.STRING)
    public PurchaseStatus status;

    /** The deposit transaction; unique, so one transaction confirms at most one purchase. */
    public String txHash;

    public Instant expiresAt;

    public Instant confirmedAt;

    /** The wallet the deposit came from (the buyer's wallet or smart account). */
    public String payer;

    /** Who pays: the buyer's wallet sends the deposit, or their smart account through {@link #operationId}. */
    @Enumerated(EnumType.STRING)
    public PayWith payWith;

    /** The user operation that deposits from the smart account (payWith SMART_ACCOUNT). */
    public UUID operationId;

    /** When the payment was released to the creator or refunded to the buyer, and by which transaction. */
    public Instant settledAt;

    public String settleTxHash;

    /** Why it was released or refunded: the automatic decision's grounds, or an admin's hand. */
    public String settlementReason;

    /** The buyer's dispute, within the dispute window: the purchase then waits for an admin. */
    public Instant disputedAt;

    public String disputeReason;

    /** The settler's claim on it: no other replica settles it until then. */
    public Instant settlementClaimedUntil;

    public Instant createdAt;

    public Instant updatedAt;

    /** Money sits in escrow for it: the deposit is recorded and neither released nor refunded. */
    public boolean isPaid() {
        return status == PurchaseStatus.CONFIRMED || status == PurchaseStatus.DISPUTED
                || (status == PurchaseStatus.PENDING && txHash != null);
    }

    /** The wallet the escrow accepts this payment from: the paymentId's first 20 bytes (lowercase). */
    public String payingWallet() {
        return paymentId.substring(0, 42).toLowerCase();
    }
}
