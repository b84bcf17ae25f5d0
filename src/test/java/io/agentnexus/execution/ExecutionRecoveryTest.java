package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.runtime.IsolationProfile;
import io.agentnexus.support.Api;
import io.agentnexus.support.TestAgents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue and the reaper, with this instance's own workers switched off. */
@QuarkusTest
@TestProfile(ExecutionRecoveryTest.NoWorkers.class)
class ExecutionRecoveryTest {

    public static class NoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.executions.workers", "0", "agentnexus.executions.reaper-interval", "1h");
        }
    }

    @Inject
    ExecutionQueue queue;

    @Inject
    ExecutionReaper reaper;

    @Inject
    ContainerRuntime runtime;

    @Inject
    EntityManager em;

    @Inject
    LogSignals signals;

    @Inject
    MeterRegistry metrics;

    private UUID agentId;
    private UUID userId;

    @BeforeEach
    void agentAndUser() {
        TestAgents.build(runtime);
        String creator = Api.newCreator();
        Map<String, Object> body = agentBody("Recovered");
        body.put("dockerImage", TestAgents.SLOW);
        agentId = UUID.fromString(createAgent(creator, body));
        userId = UUID.fromString(as(creator).get("/api/users/me").then().extract().path("id"));
    }

    private UUID insertExecution(String status, String heartbeatAgo) {
        return insertExecution(status, heartbeatAgo, 1);
    }

    private double platformFailures() {
        return metrics.counter("agentnexus.executions.finished", "status", "FAILED", "cause", "platform").count();
    }

    private UUID insertExecution(String status, String heartbeatAgo, int attempt) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at, started_at, heartbeat_at,
                                        attempt, worker)
                VALUES (?1, ?2, ?3, ?4, '{}'::jsonb, now(), now() - CAST(?5 AS INTERVAL), now() - CAST(?5 AS INTERVAL),
                        ?6, 'gone-instance')""")
                .setParameter(1, id).setParameter(2, userId).setParameter(3, agentId).setParameter(4, status)
                .setParameter(5, heartbeatAgo).setParameter(6, attempt).executeUpdate());
        return id;
    }

    private String status(UUID id) {
        return column(id, "status");
    }

    private <T> T column(UUID id, String column) {
        @SuppressWarnings("unchecked")
        T value = QuarkusTransaction.requiringNew().call(() -> (T) em.createNativeQuery(
                "SELECT " + column + " FROM executions WHERE id = ?1").setParameter(1, id).getSingleResult());
        return value;
    }

    /** A container as a worker of this attempt would have left it (no attempt label: from before attempts). */
    private String labelledContainer(UUID executionId, Integer attempt) {
        return labelledContainer(executionId, attempt, queue.deploymentId());
    }

    private String labelledContainer(UUID executionId, Integer attempt, String deployment) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(ExecutionRunner.EXECUTION_LABEL,
                executionId.toString(), ExecutionRunner.DEPLOYMENT_LABEL, deployment));
        if (attempt != null) {
            labels.put(ExecutionRunner.ATTEMPT_LABEL, attempt.toString());
        }
        String container = runtime.create(new ContainerRuntime.ContainerSpec(TestAgents.SLOW, Map.of(), labels,
                IsolationProfile.PLATFORM));
        runtime.start(container, new byte[0], 1 << 20, (stream, text, at) -> { });
        return container;
    }

    private String labelledContainer(UUID executionId) {
        return labelledContainer(executionId, null);
    }

    private boolean exists(String containerId) {
        return runtime.listByLabel(ExecutionRunner.EXECUTION_LABEL, null).stream()
                .anyMatch(c -> c.id().equals(containerId));
    }

    @Test
    void twoInstancesNeverClaimTheSameExecution() throws InterruptedException {
        Set<UUID> queued = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            queued.add(insertExecution("QUEUED", "0 seconds"));
        }
        ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> instances = new ArrayList<>();
        for (String instance : List.of("instance-a", "instance-b", "instance-c", "instance-d")) {
            instances.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (var id = queue.claim(instance); id.isPresent(); id = queue.claim(instance)) {
                    claimed.add(id.get());
                }
            }));
        }
        start.countDown();
        for (Thread thread : instances) {
            thread.join();
        }
        List<UUID> ours = claimed.stream().filter(queued::contains).toList();
        assertEquals(queued.size(), ours.size(), "every execution claimed");
        assertEquals(queued, new HashSet<>(ours), "and none twice");
        queued.forEach(id -> assertEquals("RUNNING", status(id)));
    }

    @Test
    void runWhoseInstanceDiedGoesBackToTheQueueAsItsNextAttemptAndItsContainerIsRemoved() {
        UUID execution = insertExecution("RUNNING", "5 minutes");
        String container = labelledContainer(execution);
        reaper.reap();
        assertEquals("QUEUED", status(execution));
        assertEquals(2, this.<Integer>column(execution, "attempt"));
        assertEquals(null, this.<String>column(execution, "worker"));
        assertTrue(!exists(container), "container removed");
    }

    @Test
    void runWhoseInstanceDiedOnItsLastAttemptEndsFailed() {
        UUID execution = insertExecution("RUNNING", "5 minutes", 3);
        String container = labelledContainer(execution, 3);
        double platformFailures = platformFailures();
        reaper.reap();
        assertEquals("FAILED", status(execution));
        assertTrue(platformFailures() >= platformFailures + 1, "counted as a platform failure");
        assertEquals(3, this.<Integer>column(execution, "attempt"));
        String reason = column(execution, "error_message");
        assertTrue(reason.contains("stopped (restart or crash) on each of its 3 attempt(s)"), reason);
        assertTrue(!exists(container), "container removed");
    }

    @Test
    void abandonedRunItsUserCancelledEndsCancelledInsteadOfRunningAgain() {
        UUID execution = insertExecution("RUNNING", "5 minutes");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE executions SET cancel_requested = TRUE WHERE id = ?1").setParameter(1, execution).executeUpdate());
        reaper.reap();
        assertEquals("CANCELLED", status(execution));
    }

    @Test
    void onlyTheCurrentAttemptsContainerIsKept() {
        UUID execution = insertExecution("RUNNING", "1 second", 2);
        String previous = labelledContainer(execution, 1);
        String current = labelledContainer(execution, 2);
        try {
            reaper.reap();
            assertEquals("RUNNING", status(execution));
            assertTrue(!exists(previous), "the interrupted attempt's container is an orphan");
            assertTrue(exists(current), "the running attempt's container stays");
        } finally {
            runtime.remove(current);
        }
    }

    @Test
    void liveRunKeepsItsContainer() {
        UUID execution = insertExecution("RUNNING", "1 second");
        String container = labelledContainer(execution);
        try {
            reaper.reap();
            assertEquals("RUNNING", status(execution));
            assertTrue(exists(container));
        } finally {
            runtime.remove(container);
        }
    }

    @Test
    void storedLogsAreSignalledThroughRedisToEveryFollower() throws InterruptedException {
        UUID execution = UUID.randomUUID();
        try (var first = signals.subscribe(execution); var second = signals.subscribe(execution);
                var unrelated = signals.subscribe(UUID.randomUUID())) {
            signals.stored(execution);
            assertEquals("stored", first.signals().poll(2, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("stored", second.signals().poll(2, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(unrelated.signals().poll(300, java.util.concurrent.TimeUnit.MILLISECONDS) == null);
        }
    }

    @Test
    void orphanContainerOfAnUnknownExecutionIsRemoved() {
        String container = labelledContainer(UUID.randomUUID());
        reaper.reap();
        assertTrue(!exists(container), "orphan removed");
    }

    @Test
    void containersOfAnotherDeploymentOnTheSameEngineAreLeftAlone() {
        String container = labelledContainer(UUID.randomUUID(), 1, UUID.randomUUID().toString());
        try {
            reaper.reap();
            assertTrue(exists(container), "another deployment's run is not ours to remove");
        } finally {
            runtime.remove(container);
        }
    }
}
