package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestAgents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs and cancels reach the workers through PostgreSQL's NOTIFY. The safety nets (the idle poll, the
 * heartbeat's cancel check, the reaper) are set to an hour here: what happens within the test's patience
 * happened because of a notification. What another replica would do is done here in SQL, so that nothing
 * on this instance's own path (the local nudge of a submit, the local signal of a cancel) can explain it.
 */
@QuarkusTest
@TestProfile(ExecutionNotificationsTest.OnlyNotifications.class)
class ExecutionNotificationsTest {

    public static class OnlyNotifications implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.executions.poll-interval", "1h",
                    "agentnexus.executions.heartbeat-interval", "1h",
                    "agentnexus.executions.reaper-interval", "1h",
                    "agentnexus.executions.stale-after", "2h");
        }
    }

    @Inject
    ContainerRuntime runtime;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    QueueNotifications notifications;

    @Inject
    ExecutionRunner runner;

    private String creator;
    private UUID userId;

    @BeforeEach
    void creator() {
        TestAgents.build(runtime);
        creator = Api.newCreator();
        userId = UUID.fromString(as(creator).get("/api/users/me").then().extract().path("id"));
        Await.until(notifications::backendPid, pid -> pid != 0, Duration.ofSeconds(30), "the listener connected");
    }

    private UUID agent(String image) {
        Map<String, Object> body = agentBody("Notified " + image);
        body.put("dockerImage", image);
        return UUID.fromString(createAgent(creator, body));
    }

    private double count(String name, String tag, String value) {
        var counter = metrics.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private String status(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT status FROM executions WHERE id = ?1").setParameter(1, id).getSingleResult());
    }

    private void sql(String statement, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = em.createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            query.getResultList();
        });
    }

    @Test
    void aRunQueuedOnAnotherReplicaIsPickedUpByAWorkerWokenByTheNotification() {
        UUID agent = agent(TestAgents.ECHO);
        double wokenBefore = count("agentnexus.executions.worker.wakeups", "source", "notification");
        UUID id = UUID.randomUUID();
        // As another replica's submit commits it: the workers here wait an hour unless told.
        sql("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at)
                VALUES (?1, ?2, ?3, 'QUEUED', '{"message": "from elsewhere"}'::jsonb, now()) RETURNING id""",
                id, userId, agent);
        assertEquals("SUCCEEDED", Await.until(() -> status(id), s -> !"QUEUED".equals(s) && !"RUNNING".equals(s),
                Duration.ofSeconds(60), "the run picked up and finished"));
        assertTrue(count("agentnexus.executions.worker.wakeups", "source", "notification") > wokenBefore,
                "woken by the notification");
    }

    @Test
    void aCancelNotifiedByAnotherReplicaStopsALongRunAtOnce() {
        UUID agent = agent(TestAgents.SLOW);
        String submitted = as(creator).body(Map.of("agentId", agent, "input", Map.of("message", "long")))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        UUID id = UUID.fromString(submitted);
        // Running in its container (the slow agent sleeps ten minutes).
        Await.until(() -> QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT container_id FROM executions WHERE id = ?1").setParameter(1, id).getSingleResult()),
                container -> container != null, Duration.ofSeconds(60), "the run's container");
        double cancelsBefore = count("agentnexus.executions.notifications", "channel", QueueNotifications.CANCEL);
        // As another replica's cancel commits it: the flag only, no call into this instance.
        sql("UPDATE executions SET cancel_requested = true WHERE id = ?1 RETURNING id", id);
        assertEquals("CANCELLED", Await.until(() -> status(id), s -> !"RUNNING".equals(s), Duration.ofSeconds(60),
                "the run stopped"));
        assertTrue(count("agentnexus.executions.notifications", "channel", QueueNotifications.CANCEL) > cancelsBefore,
                "the cancel came by notification");
        as(creator).get("/api/executions/" + id + "/logs").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("[cancelled by the user]"));
    }

    /**
     * The cancel came after the claim but before the runner watched for one: its notification found nothing to
     * stop. The runner still sees it, from the job it reads (here the heartbeat's check is an hour away).
     */
    @Test
    void aCancelRequestedBeforeTheRunnerWatchesIsNotLost() {
        UUID agent = agent(TestAgents.SLOW);
        UUID id = UUID.randomUUID();
        sql("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at, started_at, heartbeat_at,
                                        worker, cancel_requested)
                VALUES (?1, ?2, ?3, 'RUNNING', '{"message": "long"}'::jsonb, now(), now(), now(), 'this test', true)
                RETURNING id""", id, userId, agent);
        Thread running = Thread.ofVirtual().start(() -> runner.run(id));
        assertEquals("CANCELLED", Await.until(() -> status(id), s -> !"RUNNING".equals(s), Duration.ofSeconds(60),
                "the run stopped"));
        Await.until(running::isAlive, alive -> !alive, Duration.ofSeconds(30), "the runner done");
    }

    @Test
    void theListenerReconnectsAfterItsConnectionIsKilledAndHearsNotificationsAgain() {
        int killed = notifications.backendPid();
        double connectionsBefore = metrics.counter("agentnexus.executions.notifications.connections").count();
        sql("SELECT pg_terminate_backend(?1)", killed);
        int again = Await.until(notifications::backendPid, pid -> pid != 0 && pid != killed, Duration.ofSeconds(60),
                "the listener connected again");
        assertTrue(again != killed);
        assertTrue(metrics.counter("agentnexus.executions.notifications.connections").count() > connectionsBefore);
        double heardBefore = count("agentnexus.executions.notifications", "channel", QueueNotifications.QUEUED);
        sql("SELECT pg_notify(?1, '')", QueueNotifications.QUEUED);
        Await.until(() -> count("agentnexus.executions.notifications", "channel", QueueNotifications.QUEUED),
                heard -> heard > heardBefore, Duration.ofSeconds(30), "a notification heard on the new connection");
    }
}
