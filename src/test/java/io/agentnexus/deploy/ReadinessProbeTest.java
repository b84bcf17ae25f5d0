package io.agentnexus.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agentnexus.support.Await;
import io.agentnexus.support.EmbeddedServersResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The readiness probe (/q/health/ready, in k8s/base) takes a replica out of the Service only for what that
 * replica cannot serve without: the database. An outage of what every replica shares (the chain RPC, Redis;
 * the container engine in DockerDownTest) shows in the health details and metrics, and the replica stays in.
 */
@QuarkusTest
class ReadinessProbeTest {

    @Test
    void aChainOutageLeavesTheReplicaReadyAndShowsInHealthAndMetrics() {
        EmbeddedServersResource.rpc().cut();
        try {
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'Chain RPC health check' }.status", equalTo("DOWN"));
            given().get("/q/health").then().statusCode(503)
                    .body("checks.find { it.name == 'Chain RPC health check' }.status", equalTo("DOWN"));
            given().get("/q/metrics").then()
                    .body(containsString("agentnexus_chain_calls_seconds_count{method=\"chainId\",outcome=\"unavailable\"}"));
            given().get("/api/agents").then().statusCode(200); // what the load balancer keeps sending still works
        } finally {
            EmbeddedServersResource.rpc().restore();
        }
        awaitWellnessUp();
    }

    @Test
    void aRedisOutageLeavesTheReplicaReadyAndShowsInHealth() {
        EmbeddedServersResource.servers().stopRedis();
        try {
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"));
            given().get("/api/agents").then().statusCode(200);
        } finally {
            EmbeddedServersResource.servers().startRedis();
        }
        awaitWellnessUp();
    }

    private static void awaitWellnessUp() {
        Await.until(() -> given().get("/q/health/well").statusCode(), code -> code == 200, Duration.ofSeconds(20),
                "wellness to be UP again after the outage");
    }
}
