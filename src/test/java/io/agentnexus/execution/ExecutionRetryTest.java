package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestAgents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the platform interrupts, and slow phases that must not look like an interruption: one worker,
 * a short staleness limit, the reaper called by the test, and image preparation that can be held.
 */
@QuarkusTest
@TestProfile(ExecutionRetryTest.ShortStaleness.class)
class ExecutionRetryTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(2);

    public static class ShortStaleness implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.executions.workers", "1", "agentnexus.executions.reaper-interval", "1h",
                    "agentnexus.executions.stale-after", STALE_AFTER.toMillis() + "ms",
                    "agentnexus.executions.heartbeat-interval", "200ms");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(GatedRuntime.class);
        }
    }

    @Inject
    GatedRuntime runtime;

    @Inject
    ExecutionReaper reaper;

    @Inject
    EntityManager em;

    private String creator;
    private UUID agentId;
    private UUID userId;

    @BeforeEach
    void agent() {
        TestAgents.build(runtime);
        creator = Api.newCreator();
        Map<String, Object> body = agentBody("Retried");
        body.put("dockerImage", TestAgents.ECHO);
        agentId = UUID.fromString(createAgent(creator, body));
        userId = UUID.fromString(as(creator).get("/api/users/me").then().extract().path("id"));
    }

    private Object[] row(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT status, attempt, (EXTRACT(EPOCH FROM (heartbeat_at - started_at)) * 1000)::BIGINT"
                        + " FROM executions WHERE id = ?1")
                .setParameter(1, id).getSingleResult());
    }

    private Object[] awaitRow(UUID id, java.util.function.Predicate<Object[]> condition, String what) {
        return Await.until(() -> row(id), condition, Duration.ofSeconds(60), "execution " + id + " " + what);
    }

    @Test
    void runHeldWhileItsImageIsPreparedKeepsBeatingAndIsNotReaped() throws InterruptedException {
        runtime.hold(TestAgents.ECHO);
        try {
            String id = as(creator).body(Map.of("agentId", agentId, "input", Map.of("message", "patient")))
                    .post("/api/executions").then().statusCode(202).extract().path("id");
            UUID execution = UUID.fromString(id);
            assertTrue(runtime.awaitHeld(Duration.ofSeconds(30)), "the run reached image preparation");
            // Still held there, its heartbeat has moved past the staleness limit measured from its claim.
            awaitRow(execution, r -> r[2] != null && ((Number) r[2]).longValue() > STALE_AFTER.toMillis() + 500,
                    "beat while held");
            reaper.reap();
            assertEquals("RUNNING", row(execution)[0]);
            runtime.release();
            Object[] done = awaitRow(execution, r -> !"RUNNING".equals(r[0]), "finished");
            assertEquals("SUCCEEDED", done[0]);
            assertEquals(1, done[1]);
        } finally {
            runtime.release();
        }
    }

    @Test
    void runWhoseExitTheEngineNeverToldEndsWhenItsOutputDoesNotAtItsDeadline() {
        runtime.loseNextWait();
        String id = as(creator).body(Map.of("agentId", agentId, "input", Map.of("message", "told")))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        // The wall-time limit is 300 s: only asking the engine again once the output has ended finishes it sooner.
        Object[] done = awaitRow(UUID.fromString(id), r -> !"RUNNING".equals(r[0]) && !"QUEUED".equals(r[0]),
                "finished");
        assertEquals("SUCCEEDED", done[0]);
        assertEquals(1, runtime.lostWaits());
        as(creator).get("/api/executions/" + id).then().statusCode(200)
                .body(containsString("\"output\":{\"echo\":{\"message\":\"told\"}}"));
    }

    @Test
    void runWhoseInstanceDiedRunsAgainAsItsSecondAttemptAndSucceeds() {
        UUID execution = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at, started_at, heartbeat_at,
                                        worker)
                VALUES (?1, ?2, ?3, 'RUNNING', '{"message": "again"}'::jsonb, now(), now() - INTERVAL '5 minutes',
                        now() - INTERVAL '5 minutes', 'gone-instance')""")
                .setParameter(1, execution).setParameter(2, userId).setParameter(3, agentId).executeUpdate());
        reaper.reap();
        Object[] done = awaitRow(execution, r -> !"RUNNING".equals(r[0]) && !"QUEUED".equals(r[0]), "finished");
        assertEquals("SUCCEEDED", done[0]);
        assertEquals(2, done[1]);
        as(creator).get("/api/executions/" + execution).then().statusCode(200)
                .body(containsString("\"output\":{\"echo\":{\"message\":\"again\"}}"))
                .body(containsString("\"attempt\":2"));
        as(creator).get("/api/executions/" + execution + "/logs").then().statusCode(200)
                .body(containsString("SYSTEM [attempt 2: the previous one was interrupted by the platform"));
        io.agentnexus.support.Await.until(() -> runtime.listByLabel(ExecutionRunner.EXECUTION_LABEL,
                execution.toString()), java.util.List::isEmpty, java.time.Duration.ofSeconds(30),
                "its container removed (in the background, after the result)");
    }

    @Test
    void runInterruptedOnEveryAttemptEndsFailed() {
        UUID execution = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at, started_at, heartbeat_at,
                                        worker, attempt)
                VALUES (?1, ?2, ?3, 'RUNNING', '{}'::jsonb, now(), now() - INTERVAL '5 minutes',
                        now() - INTERVAL '5 minutes', 'gone-instance', 3)""")
                .setParameter(1, execution).setParameter(2, userId).setParameter(3, agentId).executeUpdate());
        reaper.reap();
        Object[] done = row(execution);
        assertEquals("FAILED", done[0]);
        assertEquals(3, done[1]);
    }

}
