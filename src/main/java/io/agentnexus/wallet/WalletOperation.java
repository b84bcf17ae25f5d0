package io.agentnexus.wallet;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user operation prepared for a user's smart account, and its way through the bundler. */
@Entity
@Table(name = "wallet_operations")
public class WalletOperation extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    public String sender;

    @Column(precision = 78, scale = 0)
    public BigInteger nonce;

    public String userOpHash;

    public boolean sponsored;

    /** The calls as asked for: to, value (decimal wei), data. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, String>> calls;

    /** {@link UserOperation#toRpc()}: the operation exactly as the owner signs it (signature added on submit). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> operation;

    @Enumerated(EnumType.STRING)
    public OperationStatus status;

    public Instant expiresAt;

    public String bundleTxHash;

    public Boolean success;

    @Column(precision = 78, scale = 0)
    public BigInteger actualGasCost;

    @Column(precision = 78, scale = 0)
    public BigInteger actualGasUsed;

    public String failureReason;

    public Instant createdAt;

    public Instant updatedAt;

    public Instant submittedAt;

    public Instant includedAt;
}
