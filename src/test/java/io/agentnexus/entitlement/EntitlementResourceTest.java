package io.agentnexus.entitlement;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EntitlementResourceTest {

    @Inject
    EntityManager em;

    @Test
    void newUserHasNoEntitlements() {
        as(Api.signIn(TestWallet.random())).get("/api/users/me/entitlements").then().statusCode(200)
                .body("entitlements", hasSize(0)).body("total", equalTo(0)).body("page", equalTo(0))
                .body("size", equalTo(20));
    }

    @Test
    void listsOnlyTheCallersCurrentEntitlements() {
        String creator = Api.newCreator();
        String current = createAgent(creator, agentBody("Owned"));
        String expired = createAgent(creator, agentBody("Lapsed"));
        String revoked = createAgent(creator, agentBody("Revoked"));
        TestWallet wallet = TestWallet.random();
        String token = Api.signIn(wallet);
        UUID me = UUID.fromString(as(token).get("/api/users/me").then().extract().path("id"));
        for (String agent : List.of(current, expired, revoked)) { // on-chain they are all valid
            TestChain.mint(wallet.address(), chainId(agent));
        }
        UUID someoneElse = UUID.fromString(as(Api.signIn(TestWallet.random())).get("/api/users/me").then()
                .extract().path("id"));
        Instant now = Instant.now();
        entitlement(me, current, now.plus(1, ChronoUnit.DAYS), null);
        entitlement(me, expired, now.minus(1, ChronoUnit.DAYS), null);
        entitlement(me, revoked, null, now);
        entitlement(someoneElse, current, null, null);

        as(token).get("/api/users/me/entitlements").then().statusCode(200)
                .body("total", equalTo(1))
                .body("entitlements.agentId", equalTo(List.of(current)))
                .body("entitlements[0].agentName", equalTo("Owned"))
                .body("entitlements[0].amount", equalTo("1"));
    }

    @Test
    void entitlementWithoutAValidTokenOnChainIsNotListed() {
        String agent = createAgent(Api.newCreator(), agentBody("Burnt"));
        String token = Api.signIn(TestWallet.random());
        UUID me = UUID.fromString(as(token).get("/api/users/me").then().extract().path("id"));
        entitlement(me, agent, null, null); // the database says yes, the chain says no token
        as(token).get("/api/users/me/entitlements").then().body("total", equalTo(0));
    }

    private static long chainId(String agentId) {
        return ((Number) given().get("/api/agents/" + agentId).then().extract().path("chainAgentId")).longValue();
    }

    @Test
    void entitlementsNeedSignIn() {
        given().get("/api/users/me/entitlements").then().statusCode(401);
    }

    @Test
    void pageSizeIsCapped() {
        as(Api.signIn(TestWallet.random())).queryParam("size", 500).get("/api/users/me/entitlements")
                .then().statusCode(400);
    }

    private void entitlement(UUID user, String agent, Instant expiresAt, Instant revokedAt) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO entitlements (id, user_id, agent_id, token_id, amount, expires_at, revoked_at, created_at)
                SELECT ?1, ?2, a.id, a.chain_agent_id, 1, ?3, ?4, now() FROM agents a WHERE a.id = ?5""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, user)
                .setParameter(3, expiresAt).setParameter(4, revokedAt).setParameter(5, UUID.fromString(agent))
                .executeUpdate());
    }
}
