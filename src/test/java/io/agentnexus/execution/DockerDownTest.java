package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.agentnexus.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service pointed at a Docker engine that is not there. */
@QuarkusTest
@TestProfile(DockerDownTest.NoEngine.class)
class DockerDownTest {

    @Inject
    EntityManager em;

    public static class NoEngine implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.docker.host", "unix:///nonexistent/docker.sock",
                    "agentnexus.executions.workers", "1");
        }
    }

    @Test
    void newExecutionsAre503AndHealthSaysWhyWhileTheReplicaStaysReady() {
        String creator = Api.newCreator();
        String agentId = createAgent(creator, agentBody("Engineless"));
        as(creator).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then()
                .statusCode(503).header("Retry-After", notNullValue())
                .body("detail", containsString("container engine cannot be reached"));
        as(creator).get("/api/executions").then().body("total", equalTo(0)); // nothing half-written
        // a shared engine's outage is no reason to take every replica out of the load balancer
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'Container engine health check' }.status", equalTo("DOWN"));
        given().get("/q/health").then().statusCode(503)
                .body("checks.find { it.name == 'Container engine health check' }.status", equalTo("DOWN"));
        given().get("/api/agents/" + agentId).then().statusCode(200); // the rest of the API still serves
    }

    @Test
    void queuedExecutionWaitsForTheEngineInsteadOfFailing() throws InterruptedException {
        String creator = Api.newCreator();
        String agentId = createAgent(creator, agentBody("Patient"));
        UUID userId = UUID.fromString(as(creator).get("/api/users/me").then().extract().path("id"));
        UUID execution = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at)
                VALUES (?1, ?2, ?3, 'QUEUED', '{}'::jsonb, now())""")
                .setParameter(1, execution).setParameter(2, userId).setParameter(3, UUID.fromString(agentId))
                .executeUpdate());
        Thread.sleep(1500); // several worker polls
        as(creator).get("/api/executions/" + execution).then().statusCode(200).body("status", equalTo("QUEUED"));
    }
}
