package io.agentnexus.agent;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agentnexus.support.Api;
import io.agentnexus.support.EmbeddedServersResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentCacheTest {

    @Inject
    EntityManager em;

    @Inject
    RedisDataSource redis;

    @Test
    void agentReadsAreServedFromRedis() {
        String creator = Api.newCreator();
        String id = createAgent(creator, agentBody("Cached"));
        given().get("/api/agents/" + id).then().body("name", equalTo("Cached"));
        assertFalse(redis.key().keys("agents:*:id:" + id).isEmpty(), "the read filled the cache");
        renameBehindTheServicesBack(id, "Changed in the database only");
        given().get("/api/agents/" + id).then().body("name", equalTo("Cached"));
    }

    @Test
    void updateInvalidatesTheCachedAgentAndListPages() {
        String creator = Api.newCreator();
        String creatorId = as(creator).get("/api/users/me").then().extract().path("id");
        String id = createAgent(creator, agentBody("Old name"));
        given().get("/api/agents/" + id).then().body("name", equalTo("Old name"));
        given().queryParam("creator", creatorId).get("/api/agents").then().body("agents[0].name", equalTo("Old name"));

        as(creator).body(Map.of("name", "New name")).put("/api/agents/" + id).then().statusCode(200);

        given().get("/api/agents/" + id).then().body("name", equalTo("New name"));
        given().queryParam("creator", creatorId).get("/api/agents").then().body("agents[0].name", equalTo("New name"));
    }

    @Test
    void createAndDeleteInvalidateListPages() {
        String creator = Api.newCreator();
        String creatorId = as(creator).get("/api/users/me").then().extract().path("id");
        given().queryParam("creator", creatorId).get("/api/agents").then().body("total", equalTo(0));
        String id = createAgent(creator, agentBody("Arrives"));
        given().queryParam("creator", creatorId).get("/api/agents").then().body("total", equalTo(1));
        as(creator).delete("/api/agents/" + id).then().statusCode(204);
        given().queryParam("creator", creatorId).get("/api/agents").then().body("total", equalTo(0));
    }

    @Test
    void catalogStillAnswersWhenRedisIsDown() {
        String creator = Api.newCreator();
        String id = createAgent(creator, agentBody("Resilient"));
        EmbeddedServersResource.servers().stopRedis();
        try {
            given().get("/api/agents/" + id).then().statusCode(200).body("name", equalTo("Resilient"));
            given().get("/api/agents").then().statusCode(200);
            as(creator).body(Map.of("name", "Renamed offline")).put("/api/agents/" + id).then().statusCode(200);
            given().get("/api/agents/" + id).then().statusCode(200).body("name", equalTo("Renamed offline"));
            // Sign-in cannot work without its nonce store, and says so.
            given().queryParam("address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").get("/api/users/auth/nonce")
                    .then().statusCode(503).header("Retry-After", equalTo("5"))
                    .contentType("application/problem+json");
        } finally {
            EmbeddedServersResource.servers().startRedis();
        }
    }

    private void renameBehindTheServicesBack(String id, String name) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE agents SET name = ?1 WHERE id = ?2")
                .setParameter(1, name).setParameter(2, UUID.fromString(id)).executeUpdate());
    }
}
