package io.agentnexus.entitlement;

import io.agentnexus.agent.Agent;
import io.agentnexus.purchase.Purchase;
import io.agentnexus.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/** The database mirror of an ERC-1155 access token: a user's right to run an agent. */
@Entity
@Table(name = "entitlements")
public class Entitlement extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "agent_id")
    public Agent agent;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "purchase_id")
    public Purchase purchase;

    @Column(precision = 78, scale = 0)
    public BigInteger tokenId;

    @Column(precision = 78, scale = 0)
    public BigInteger amount;

    public String mintTxHash;

    /** Null: never expires. */
    public Instant expiresAt;

    public Instant revokedAt;

    public Instant createdAt;
}
