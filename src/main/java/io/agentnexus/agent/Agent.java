package io.agentnexus.agent;

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
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent in the catalog: a Docker image with a price, a schema for its input and output, a creator. */
@Entity
@Table(name = "agents")
public class Agent extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    /** The agent's id on-chain (escrow agentId, ERC-1155 token id), from a database sequence. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long chainAgentId;

    public String name;

    public String description;

    @Enumerated(EnumType.STRING)
    public AgentCategory category;

    @Enumerated(EnumType.STRING)
    public AgentStatus status;

    /** In base units of {@link #priceToken} (wei for native ETH). */
    @Column(precision = 78, scale = 0)
    public BigInteger price;

    /** ERC-20 token address, or the zero address for native ETH. */
    public String priceToken;

    /** Access bought once, or a deposit per run. */
    @Enumerated(EnumType.STRING)
    public Pricing pricing = Pricing.ACCESS;

    public String version;

    public String dockerImage;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> inputSchema;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> outputSchema;

    /** Per-agent limits; null: the platform's (they can only be lower). */
    public Integer memoryMb;

    public Integer timeoutSeconds;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "creator_id")
    public User creator;

    public Instant createdAt;

    public Instant updatedAt;

    /** Soft delete: the row stays for purchases and executions that refer to it. */
    public Instant deletedAt;
}
