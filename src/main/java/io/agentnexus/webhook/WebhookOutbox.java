package io.agentnexus.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable outbox of webhook events in PostgreSQL. {@link #publish} is the one door for other features:
 * it writes in the caller's transaction, so an event exists exactly when the state change it reports was
 * committed, and a crash loses none. Sending happens later, outside any transaction ({@link WebhookDispatcher}).
 */
@ApplicationScoped
public class WebhookOutbox {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final RetrySchedule retries;

    WebhookOutbox(EntityManager em, ObjectMapper json, Clock clock, WebhooksConfig config) {
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.retries = new RetrySchedule(config.retrySchedule());
    }

    /**
     * Queues the event for each destination of {@code accountId} that wants it: {@code run}'s own webhook
     * (null: none) if its filter has the type, and each enabled subscription of that type. {@code data} is
     * frozen as it is now: the {@code data} of the Standard Webhooks body {type, timestamp, data}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(UUID accountId, WebhookEventType type, Map<String, Object> data, RunWebhook run) {
        Instant now = clock.instant();
        String payload = body(type, now, data);
        if (run != null && run.url() != null && run.events().contains(type)) {
            accountSecret(accountId); // the receiver needs it to check the signature: it exists from now on
            em.createNativeQuery("""
                    INSERT INTO webhook_deliveries (id, user_id, execution_id, url, event_type, payload, status,
                                                    next_attempt_at, created_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), 'PENDING', ?7, ?7)""")
                    .setParameter(1, newMessageId()).setParameter(2, accountId).setParameter(3, run.executionId())
                    .setParameter(4, run.url()).setParameter(5, type.wireName()).setParameter(6, payload)
                    .setParameter(7, now).executeUpdate();
        }
        em.createNativeQuery("""
                INSERT INTO webhook_deliveries (id, subscription_id, user_id, url, event_type, payload, status,
                                                next_attempt_at, created_at)
                SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, s.user_id, s.url, ?1,
                       CAST(?2 AS jsonb), 'PENDING', ?3, ?3
                FROM webhook_subscriptions s
                WHERE s.user_id = ?4 AND s.enabled AND s.event_types @> jsonb_build_array(?1)""")
                .setParameter(1, type.wireName()).setParameter(2, payload).setParameter(3, now)
                .setParameter(4, accountId).executeUpdate();
    }

    /** The secret that signs the per-run webhooks of this account, created on first use. */
    @Transactional(Transactional.TxType.REQUIRED)
    public String accountSecret(UUID accountId) {
        em.createNativeQuery("INSERT INTO webhook_account_secrets (user_id, secret, created_at) VALUES (?1, ?2, ?3)"
                        + " ON CONFLICT (user_id) DO NOTHING")
                .setParameter(1, accountId).setParameter(2, WebhookSignature.newSecret())
                .setParameter(3, clock.instant()).executeUpdate();
        return (String) em.createNativeQuery("SELECT secret FROM webhook_account_secrets WHERE user_id = ?1")
                .setParameter(1, accountId).getSingleResult();
    }

    /** A claimed delivery: what to send, where, signed with what; {@code lease} proves the claim. */
    record Due(String id, UUID lease, int attempt, String url, String secret, String payload) {
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code lease} (no other replica sees them until it ends)
     * and counts the attempt now: one that a crash interrupts counts too. Deliveries of a disabled
     * subscription wait for it to be enabled again. Subscriptions are sent to their current URL and secret.
     */
    @Transactional
    List<Due> claim(int limit, Duration lease) {
        Instant now = clock.instant();
        UUID leaseId = UUID.randomUUID();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = ?1, lease_id = ?2,
                       last_attempt_at = ?3
                WHERE d.id IN (SELECT id FROM webhook_deliveries w
                               WHERE w.status = 'PENDING' AND w.next_attempt_at <= ?3
                                 AND NOT EXISTS (SELECT 1 FROM webhook_subscriptions s
                                                 WHERE s.id = w.subscription_id AND NOT s.enabled)
                               ORDER BY w.next_attempt_at FOR UPDATE SKIP LOCKED LIMIT ?4)
                RETURNING d.id, d.attempts,
                       COALESCE((SELECT s.url FROM webhook_subscriptions s WHERE s.id = d.subscription_id), d.url),
                       COALESCE((SELECT s.secret FROM webhook_subscriptions s WHERE s.id = d.subscription_id),
                                (SELECT a.secret FROM webhook_account_secrets a WHERE a.user_id = d.user_id)),
                       d.payload::text""")
                .setParameter(1, now.plus(lease)).setParameter(2, leaseId).setParameter(3, now)
                .setParameter(4, limit).getResultList();
        return rows.stream().map(r -> new Due((String) r[0], leaseId, ((Number) r[1]).intValue(), (String) r[2],
                (String) r[3], (String) r[4])).toList();
    }

    /**
     * The outcome of an attempt: DELIVERED, or PENDING until the next one of the schedule, or FAILED after
     * the last. Nothing changes if the claim is no longer this one's (its lease ran out and another replica
     * took the delivery, or its owner asked for a redelivery).
     */
    @Transactional
    void record(Due due, WebhookSender.Outcome outcome) {
        Instant now = clock.instant();
        Duration wait = retries.after(due.attempt()).orElse(null);
        String status = outcome.delivered() ? "DELIVERED" : wait == null ? "FAILED" : "PENDING";
        // no null parameters (their SQL type is unknown to the driver): 0 and "" stand for none
        em.createNativeQuery("""
                UPDATE webhook_deliveries SET status = ?1, next_attempt_at = ?2, last_status_code = NULLIF(?3, 0),
                       last_error = NULLIF(?4, ''), delivered_at = CASE WHEN ?1 = 'DELIVERED' THEN CAST(?5 AS timestamptz) END,
                       lease_id = NULL
                WHERE id = ?6 AND lease_id = ?7""")
                .setParameter(1, status).setParameter(2, wait == null ? now : now.plus(wait))
                .setParameter(3, outcome.statusCode() == null ? 0 : outcome.statusCode())
                .setParameter(4, outcome.error() == null ? "" : outcome.error()).setParameter(5, now)
                .setParameter(6, due.id()).setParameter(7, due.lease()).executeUpdate();
    }

    /** Queued again now, with the same id and payload, and a fresh retry schedule. False: not the user's. */
    @Transactional
    boolean redeliver(String id, UUID userId) {
        return em.createNativeQuery("""
                UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?1,
                       lease_id = NULL, delivered_at = NULL
                WHERE id = ?2 AND user_id = ?3""")
                .setParameter(1, clock.instant()).setParameter(2, id).setParameter(3, userId).executeUpdate() == 1;
    }

    private String body(WebhookEventType type, Instant at, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("timestamp", at.toString());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("webhook data must be JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String newMessageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
