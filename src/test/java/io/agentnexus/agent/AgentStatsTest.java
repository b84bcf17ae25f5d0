package io.agentnexus.agent;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentStatsTest {

    @Inject
    EntityManager em;

    private String creator;
    private String creatorId;

    @BeforeEach
    void signIn() {
        creator = Api.newCreator();
        creatorId = as(creator).get("/api/users/me").then().extract().path("id");
    }

    @Test
    void newAgentHasZeroStats() {
        String id = createAgent(creator, agentBody("Fresh"));
        given().get("/api/agents/" + id + "/stats").then().statusCode(200)
                .body("executions", equalTo(0)).body("succeeded", equalTo(0)).body("failed", equalTo(0))
                .body("successRate", equalTo(0.0f)).body("averageDurationMs", equalTo(0))
                .body("p95DurationMs", equalTo(0)).body("purchases", equalTo(0)).body("revenue", equalTo("0"))
                .body("uniqueUsers", equalTo(0));
    }

    @Test
    void statsAggregateExecutionsAndPaidPurchases() {
        String id = createAgent(creator, agentBody("Busy"));
        UUID agent = UUID.fromString(id);
        UUID alice = userId(TestWallet.random());
        UUID bob = userId(TestWallet.random());
        UUID carol = userId(TestWallet.random());
        // 20 runs by alice: 16 succeed (100..1600 ms), 3 fail, 1 times out; bob's run is still queued.
        for (int i = 1; i <= 16; i++) {
            execution(agent, alice, "SUCCEEDED", 100L * i);
        }
        execution(agent, alice, "FAILED", 50L);
        execution(agent, alice, "FAILED", 50L);
        execution(agent, alice, "FAILED", 50L);
        execution(agent, alice, "TIMED_OUT", 300_000L);
        execution(agent, bob, "QUEUED", null);
        purchase(agent, alice, "CONFIRMED", "1000");
        purchase(agent, carol, "RELEASED", "2500");
        purchase(agent, bob, "REFUNDED", "9999");
        purchase(agent, bob, "PENDING", "9999");

        given().get("/api/agents/" + id + "/stats").then().statusCode(200)
                .body("executions", equalTo(21))
                .body("succeeded", equalTo(16))
                .body("failed", equalTo(4))
                .body("successRate", equalTo(0.8f))
                .body("averageDurationMs", equalTo(Math.round((13_600 + 150 + 300_000) / 20.0f)))
                .body("p95DurationMs", equalTo(Math.round(1600 + 0.05f * (300_000 - 1600))))
                .body("purchases", equalTo(2))
                .body("revenue", equalTo("3500"))
                .body("uniqueUsers", equalTo(3));
    }

    @Test
    void popularAgentsComeFirst() {
        String quiet = createAgent(creator, agentBody("Quiet"));
        String popular = createAgent(creator, agentBody("Popular"));
        String middling = createAgent(creator, agentBody("Middling"));
        UUID fan = userId(TestWallet.random());
        for (int i = 0; i < 3; i++) {
            execution(UUID.fromString(popular), fan, "SUCCEEDED", 10L);
        }
        purchase(UUID.fromString(middling), fan, "CONFIRMED", "1");
        given().queryParam("creator", creatorId).queryParam("sort", "popular").get("/api/agents").then()
                .body("agents.id", equalTo(List.of(popular, middling, quiet)));
    }

    private UUID userId(TestWallet wallet) {
        return UUID.fromString(as(Api.signIn(wallet)).get("/api/users/me").then().extract().path("id"));
    }

    private void execution(UUID agent, UUID user, String status, Long durationMs) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO executions (id, user_id, agent_id, status, input, created_at, duration_ms)
                VALUES (?1, ?2, ?3, ?4, '{}'::jsonb, ?5, ?6)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, user).setParameter(3, agent)
                .setParameter(4, status).setParameter(5, Instant.now()).setParameter(6, durationMs)
                .executeUpdate());
    }

    private void purchase(UUID agent, UUID user, String status, String amount) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO purchases (id, user_id, agent_id, payment_id, amount, token, chain_id, status,
                                       expires_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, CAST(?5 AS NUMERIC), ?6, 31337, ?7, ?8, ?8, ?8)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, user).setParameter(3, agent)
                .setParameter(4, "0x" + UUID.randomUUID().toString().replace("-", "").repeat(2))
                .setParameter(5, amount).setParameter(6, "0x0000000000000000000000000000000000000000")
                .setParameter(7, status).setParameter(8, Instant.now())
                .executeUpdate());
    }
}
