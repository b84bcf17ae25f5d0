package io.agentnexus.runtime;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.StrictManifests;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.arc.ClientProxy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service with {@code agentnexus.runtime=kubernetes}, end to end over its API: runs become Jobs in the
 * runs namespace (on the mock API server, with the fake controller and kubelet), a cancel deletes the Job.
 */
@QuarkusTest
@TestProfile(KubernetesRunsTest.OnKubernetes.class)
class KubernetesRunsTest {

    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.runtime", "kubernetes");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubernetesApiResource.class));
        }
    }

    @Inject
    ContainerRuntime runtime;

    @Inject
    EntityManager em;

    private String creator;
    private TestWallet userWallet;
    private String user;

    @BeforeEach
    void setUp() {
        creator = Api.newCreator();
        userWallet = TestWallet.random();
        user = Api.signIn(userWallet);
    }

    /** An agent of the given image that the user holds an entitlement for (on chain and in the mirror). */
    private String agent(String image) {
        Map<String, Object> body = agentBody("Runs " + image + " on Kubernetes");
        body.put("dockerImage", image);
        String agentId = createAgent(creator, body);
        long chainId = ((Number) as(creator).get("/api/agents/" + agentId).then().extract().path("chainAgentId"))
                .longValue();
        TestChain.mint(userWallet.address(), chainId);
        UUID userId = UUID.fromString(as(user).get("/api/users/me").then().extract().path("id"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO entitlements (id, user_id, agent_id, token_id, amount, created_at)
                SELECT ?1, ?2, a.id, a.chain_agent_id, 1, now() FROM agents a WHERE a.id = ?3""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, userId).setParameter(3, UUID.fromString(agentId))
                .executeUpdate());
        return agentId;
    }

    private String submit(String agentId, Map<String, Object> input) {
        return as(user).body(Map.of("agentId", agentId, "input", input)).post("/api/executions")
                .then().statusCode(202).extract().path("id");
    }

    private List<String> jobsOf(String executionId) {
        return KubernetesApiResource.client().batch().v1().jobs().inNamespace(KubernetesContainerRuntimeTest.NAMESPACE)
                .withLabel("agentnexus.execution", executionId).list().getItems().stream()
                .map(job -> job.getMetadata().getName()).toList();
    }

    @Test
    void theConfiguredRuntimeIsTheKubernetesOne() {
        assertInstanceOf(KubernetesContainerRuntime.class, ClientProxy.unwrap(runtime));
    }

    @Test
    void aRunIsAJobWhoseResultIsRecorded() {
        String id = submit(agent(TestAgents.ECHO), Map.of("message", "hi"));
        JsonPath done = Api.awaitExecution(user, id);
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertEquals(Map.of("echo", Map.of("message", "hi")), done.getMap("output"));
        assertEquals(0, done.getInt("exitCode"));
        as(user).get("/api/executions/" + id + "/logs").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("stdin: {\"message\":\"hi\"}"));
        assertTrue(KubernetesApiResource.kubelet().seenJobs().stream()
                .anyMatch(job -> id.equals(job.getMetadata().getLabels().get("agentnexus.execution"))), "ran as a Job");
        KubernetesApiResource.kubelet().seenJobs().forEach(StrictManifests::check);
        Await.until(() -> jobsOf(id), List::isEmpty, Duration.ofSeconds(30),
                "the Job removed after the run (in the background, once its result is recorded)");
    }

    @Test
    void cancellingARunDeletesItsJob() {
        String id = submit(agent(TestAgents.SLOW), Map.of("message", "wait"));
        Await.until(() -> jobsOf(id), jobs -> !jobs.isEmpty(), Duration.ofSeconds(30), "the run's Job");
        Await.until(() -> as(user).get("/api/executions/" + id).then().extract().<String>path("status"),
                "RUNNING"::equals, Duration.ofSeconds(30), "the run starting");
        as(user).post("/api/executions/" + id + "/cancel").then().statusCode(200);
        assertEquals("CANCELLED", Api.awaitExecution(user, id).getString("status"));
        Await.until(() -> jobsOf(id), List::isEmpty, Duration.ofSeconds(10), "the Job deleted");
        assertFalse(runtime.listByLabel("agentnexus.execution", id).stream().anyMatch(ContainerRuntime.Container::running));
    }
}
