package io.agentnexus.agent;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.EmbeddedServersResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentCacheTest {

    @Inject
    EntityManager em;

    @Inject
    RedisDataSource redis;

    @Inject
    AgentCache cache;

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

    @Test
    void nearCopiesAnswerWithTheSameBytesAsTheSlowPath() {
        String creator = Api.newCreator();
        String creatorId = as(creator).get("/api/users/me").then().extract().path("id");
        String id = createAgent(creator, agentBody("Same bytes"));
        String agent = given().get("/api/agents/" + id).then().statusCode(200).contentType("application/json")
                .extract().asString();
        String page = given().queryParam("creator", creatorId).get("/api/agents").then().statusCode(200)
                .contentType("application/json").extract().asString();
        awaitNearCopy(id);
        given().queryParam("creator", creatorId).get("/api/agents"); // fills the page's copy, now that it may
        assertTrue(cache.cachedPage(canonicalCreatorQuery(creatorId)) != null, "the page is held in memory");

        given().get("/api/agents/" + id).then().statusCode(200)
                .header("Content-Type", "application/json;charset=UTF-8").body(equalTo(agent));
        given().queryParam("creator", creatorId).get("/api/agents").then().statusCode(200)
                .header("Content-Type", "application/json;charset=UTF-8").body(equalTo(page));
    }

    @Test
    void readsFromMemoryNegotiateLikeEveryOtherEndpoint() {
        String creator = Api.newCreator();
        String creatorId = as(creator).get("/api/users/me").then().extract().path("id");
        String id = createAgent(creator, agentBody("Negotiated"));
        awaitNearCopy(id);
        given().queryParam("creator", creatorId).get("/api/agents"); // the page's copy
        assertTrue(cache.cachedPage(canonicalCreatorQuery(creatorId)) != null, "the page is held in memory");

        List<String> reads = List.of("/api/agents/" + id, "/api/agents?creator=" + creatorId,
                "/api/agents/" + id + "/stats"); // the last never from memory: how the rest of the API answers
        for (String path : reads) {
            given().accept("text/plain").get(path).then().statusCode(406).contentType("application/problem+json");
            given().accept("application/*").get(path).then().statusCode(200)
                    .header("Content-Type", "application/json;charset=UTF-8");
        }
    }

    @Test
    void aDraftHeldInMemoryIsStillShownOnlyToItsCreatorAndAdmins() {
        String creator = Api.newCreator();
        Map<String, Object> draft = new java.util.HashMap<>(agentBody("Draft in memory"));
        draft.put("status", "DRAFT");
        String id = createAgent(creator, draft);
        Await.until(() -> {
            as(creator).get("/api/agents/" + id).then().statusCode(200);
            return cache.cachedAgent(UUID.fromString(id)) != null;
        }, held -> held, Duration.ofSeconds(10), "the draft held in memory");

        given().get("/api/agents/" + id).then().statusCode(404).contentType("application/problem+json");
        as(Api.newCreator()).get("/api/agents/" + id).then().statusCode(404);
        as(creator).get("/api/agents/" + id).then().statusCode(200).body("name", equalTo("Draft in memory"));
    }

    @Test
    void aBumpPublishedByAnotherReplicaDropsTheCopiesInMemory() {
        String creator = Api.newCreator();
        String id = createAgent(creator, agentBody("Before the other replica's write"));
        awaitNearCopy(id);
        renameBehindTheServicesBack(id, "After the other replica's write");
        redis.key().del(redis.key().keys("agents:*:id:" + id).toArray(String[]::new));
        // Redis holds nothing now, so only the copy in memory can still answer with the old name.
        given().get("/api/agents/" + id).then().body("name", equalTo("Before the other replica's write"));

        // The other replica's news, straight through Redis, without moving the counter: only the message can
        // drop the copy (the periodic check sees the same generation).
        redis.pubsub(String.class).publish(AgentCache.GENERATION, "0");

        Await.until(() -> given().get("/api/agents/" + id).then().extract().<String>path("name"),
                "After the other replica's write"::equals, Duration.ofSeconds(10), "the copy in memory dropped");
    }

    @Test
    void aCounterMovedWithoutItsMessageStillDropsTheCopiesInMemory() {
        String creator = Api.newCreator();
        String id = createAgent(creator, agentBody("Before a lost message"));
        awaitNearCopy(id);
        renameBehindTheServicesBack(id, "After a lost message");
        redis.value(Long.class).incr(AgentCache.GENERATION); // a write whose message this replica never got

        Await.until(() -> given().get("/api/agents/" + id).then().extract().<String>path("name"),
                "After a lost message"::equals, Duration.ofSeconds(10), "the copy in memory dropped by the check");
    }

    @Test
    void nothingIsServedFromMemoryWhileInvalidationsCannotArrive() {
        String creator = Api.newCreator();
        String id = createAgent(creator, agentBody("Held before the outage"));
        awaitNearCopy(id);
        EmbeddedServersResource.servers().stopRedis();
        try {
            renameBehindTheServicesBack(id, "Written during the outage");
            Await.until(() -> given().get("/api/agents/" + id).then().statusCode(200).extract().<String>path("name"),
                    "Written during the outage"::equals, Duration.ofSeconds(15), "the read reaching the database");
            assertNull(cache.cachedAgent(UUID.fromString(id)), "nothing answers from memory while Redis is away");
        } finally {
            EmbeddedServersResource.servers().startRedis();
        }
        // Back: a copy is served again only once the subscription is up, and it is the current agent.
        awaitNearCopy(id);
        given().get("/api/agents/" + id).then().body("name", equalTo("Written during the outage"));
    }

    /** Reads the agent until this replica holds it in memory (the subscription starts with the first read). */
    private void awaitNearCopy(String id) {
        Await.until(() -> {
            given().get("/api/agents/" + id).then().statusCode(200);
            return cache.cachedAgent(UUID.fromString(id)) != null;
        }, held -> held, Duration.ofSeconds(15), "the agent held in memory");
    }

    private static String canonicalCreatorQuery(String creatorId) {
        AgentSearch search = new AgentSearch();
        search.creator = creatorId;
        search.sort = "newest";
        search.page = 0;
        search.size = 20;
        return search.canonical();
    }

    private void renameBehindTheServicesBack(String id, String name) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE agents SET name = ?1 WHERE id = ?2")
                .setParameter(1, name).setParameter(2, UUID.fromString(id)).executeUpdate());
    }
}
