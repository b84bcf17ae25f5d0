package io.agentnexus.execution;

import io.agentnexus.agent.Agent;
import io.agentnexus.purchase.Purchase;
import io.agentnexus.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One run of an agent for a user: its input, its fate, its output. Logs are {@link ExecutionLogLine}s. */
@Entity
@Table(name = "executions")
public class Execution extends PanacheEntityBase {

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

    @Enumerated(EnumType.STRING)
    public ExecutionStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> input;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> output;

    public String errorMessage;

    public Integer exitCode;

    public boolean oomKilled;

    public String imageDigest;

    public String containerId;

    public String idempotencyKey;

    /** The service instance running it. */
    public String worker;

    /** Set by a cancel on any replica; the runner stops the container when it sees it. */
    public boolean cancelRequested;

    /** 1, then one more each time the platform (not the agent) interrupted it and queued it again. */
    public int attempt = 1;

    /** Touched by its worker while it runs: a stale heartbeat means the worker is gone. */
    public Instant heartbeatAt;

    /** When it was queued. */
    public Instant createdAt;

    public Instant startedAt;

    public Instant endedAt;

    public Long durationMs;

    /** The run's own webhook (null: none) and the event types it gets (wire names). */
    public String webhookUrl;

    @JdbcTypeCode(SqlTypes.JSON)
    public java.util.List<String> webhookEvents;
}
