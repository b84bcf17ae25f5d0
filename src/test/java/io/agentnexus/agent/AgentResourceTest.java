package io.agentnexus.agent;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentResourceTest {

    private String creator;
    private String creatorId;
    private String otherCreator;
    private String user;
    private String admin;

    @BeforeEach
    void signIn() {
        creator = Api.newCreator();
        creatorId = as(creator).get("/api/users/me").then().statusCode(200).extract().path("id");
        otherCreator = Api.newCreator();
        user = Api.signIn(TestWallet.random());
        admin = Api.admin();
    }

    // --- create -----------------------------------------------------------------------------

    @Test
    void creatorPublishesAnAgentAndBecomesItsCreator() {
        as(creator).body(agentBody("Summariser")).when().post("/api/agents")
                .then().statusCode(201)
                .header("Location", containsString("/api/agents/"))
                .body("name", equalTo("Summariser"))
                .body("status", equalTo("ACTIVE"))
                .body("price", equalTo("1000000000000000"))
                .body("priceToken", equalTo("0x0000000000000000000000000000000000000000"))
                .body("version", equalTo("1.0.0"))
                .body("chainAgentId", notNullValue())
                .body("creator.id", equalTo(creatorId))
                .body("inputSchema.type", equalTo("object"));
    }

    @Test
    void createdAgentIsAtItsLocation() {
        String location = as(creator).body(agentBody("Located")).post("/api/agents").then().statusCode(201)
                .extract().header("Location");
        given().get(location).then().statusCode(200).body("name", equalTo("Located"));
    }

    @Test
    void eachAgentGetsItsOwnChainId() {
        int first = as(creator).body(agentBody("First")).post("/api/agents").then().extract().path("chainAgentId");
        int second = as(creator).body(agentBody("Second")).post("/api/agents").then().extract().path("chainAgentId");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }

    @Test
    void adminMayPublish() {
        as(admin).body(agentBody("Admin's agent")).post("/api/agents").then().statusCode(201);
    }

    @Test
    void anonymousMayNotPublish() {
        given().contentType(ContentType.JSON).body(agentBody("Nope")).post("/api/agents")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void plainUserMayNotPublish() {
        as(user).body(agentBody("Nope")).post("/api/agents").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void revokedCreatorMayNoLongerPublishWithTheSameToken() {
        TestWallet wallet = TestWallet.random();
        as(admin).put("/api/admin/creators/" + wallet.address()).then().statusCode(200)
                .body("roles", hasItem("creator"));
        String token = Api.signIn(wallet);
        as(token).body(agentBody("Before")).post("/api/agents").then().statusCode(201);
        as(admin).delete("/api/admin/creators/" + wallet.address()).then().statusCode(200)
                .body("roles", not(hasItem("creator")));
        as(token).body(agentBody("After")).post("/api/agents").then().statusCode(403);
    }

    @Test
    void onlyAdminsGrantTheCreatorRole() {
        as(creator).put("/api/admin/creators/" + TestWallet.random().address()).then().statusCode(403);
        given().put("/api/admin/creators/" + TestWallet.random().address()).then().statusCode(401);
        as(admin).delete("/api/admin/creators/" + TestWallet.random().address()).then().statusCode(404);
        as(admin).put("/api/admin/creators/0x123").then().statusCode(400);
    }

    // --- validation -------------------------------------------------------------------------

    @Test
    void invalidFieldsAreListed() {
        Map<String, Object> body = agentBody("ab");
        body.put("description", "short");
        body.put("price", "1.5");
        body.put("dockerImage", "Not An Image!");
        body.put("priceToken", "0x12");
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", equalTo(List.of("description", "dockerImage", "name", "price", "priceToken")))
                .body("requestId", notNullValue());
    }

    @Test
    void missingRequiredFieldsAreListed() {
        as(creator).body(Map.of()).post("/api/agents").then().statusCode(400)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("inputSchema"))
                .body("errors.field", hasItem("category"));
    }

    @Test
    void unknownCategoryIsABadRequest() {
        Map<String, Object> body = agentBody("Categorised");
        body.put("category", "GAMES");
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", equalTo(List.of("category")))
                .body("errors[0].message", containsString("has the wrong type: expected one of [TRADING"));
    }

    @Test
    void everyInvalidFieldIsReportedInOneBadRequest() {
        Map<String, Object> body = agentBody("ab");
        body.put("description", "short");
        body.put("category", "GAMES");
        body.put("price", 1.5);
        body.put("dockerImage", Map.of("image", "echo"));
        body.put("inputSchema", List.of(1, 2));
        body.put("memoryMb", "lots");
        body.put("timeoutSeconds", true);
        body.remove("outputSchema");
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", equalTo(List.of("category", "description", "dockerImage", "inputSchema",
                        "memoryMb", "name", "outputSchema", "price", "timeoutSeconds")));
    }

    @Test
    void unusableSchemasAreReportedWithTheOtherInvalidFields() {
        Map<String, Object> body = agentBody("ab");
        body.put("inputSchema", Map.of("$ref", "http://127.0.0.1:9/x"));
        body.put("outputSchema", Map.of("type", 5));
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("errors.field", hasItems("name", "inputSchema"))
                .body("errors.field.findAll { it.startsWith('outputSchema') }.size()", greaterThan(0))
                .body("errors.find { it.field == 'inputSchema' }.message", containsString("http://127.0.0.1:9/x"));
    }

    @Test
    void everyInvalidFieldOfAnUpdateIsReportedInOneBadRequest() {
        String id = createAgent(creator, agentBody("Updated badly"));
        as(creator).body(Map.of("category", 42, "name", "x", "memoryMb", "much")).put("/api/agents/" + id)
                .then().statusCode(400)
                .body("errors.field", equalTo(List.of("category", "memoryMb", "name")));
    }

    @Test
    void schemaThatIsNotAnObjectIsABadRequest() {
        Map<String, Object> body = agentBody("Schematic");
        body.put("inputSchema", List.of(1, 2));
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("errors.field", equalTo(List.of("inputSchema")));
    }

    @Test
    void unknownFieldIsABadRequest() {
        Map<String, Object> body = agentBody("Extra");
        body.put("owner", "me");
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("detail", equalTo("unknown field 'owner'"));
    }

    @Test
    void malformedJsonIsABadRequest() {
        as(creator).body("{\"name\": ").post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void missingBodyIsABadRequest() {
        as(creator).post("/api/agents").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void priceAboveUint256IsABadRequest() {
        Map<String, Object> body = agentBody("Pricey");
        body.put("price", "2".repeat(78));
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("price"));
    }

    @Test
    void imageReferencesWithRegistryTagAndDigestAreAccepted() {
        Map<String, Object> body = agentBody("Registry");
        body.put("dockerImage", "registry.example.com:5000/team/agent-x:1.2.0@sha256:" + "a".repeat(64));
        as(creator).body(body).post("/api/agents").then().statusCode(201);
    }

    @Test
    void oversizedBodyIsRejectedWith413() {
        Map<String, Object> body = agentBody("Huge");
        body.put("inputSchema", Map.of("description", "x".repeat(2 * 1024 * 1024)));
        as(creator).body(body).post("/api/agents").then().statusCode(413);
    }

    // --- read, visibility ----------------------------------------------------------------------

    @Test
    void anyoneReadsAnActiveAgent() {
        String id = createAgent(creator, agentBody("Public"));
        given().get("/api/agents/" + id).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void unknownAgentIsNotFound() {
        given().get("/api/agents/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/agents/not-a-uuid").then().statusCode(404);
    }

    @Test
    void draftIsSeenOnlyByItsCreatorAndAdmins() {
        Map<String, Object> body = agentBody("Secret draft");
        body.put("status", "DRAFT");
        String id = createAgent(creator, body);
        given().get("/api/agents/" + id).then().statusCode(404);
        as(user).get("/api/agents/" + id).then().statusCode(404);
        as(otherCreator).get("/api/agents/" + id).then().statusCode(404);
        as(creator).get("/api/agents/" + id).then().statusCode(200).body("status", equalTo("DRAFT"));
        as(admin).get("/api/agents/" + id).then().statusCode(200);
        as(otherCreator).body(Map.of("name", "Taken over")).put("/api/agents/" + id).then().statusCode(404);
        given().get("/api/agents/" + id + "/stats").then().statusCode(404);
    }

    @Test
    void draftsAreListedOnlyForTheirCreatorAndAdmins() {
        Map<String, Object> body = agentBody("Listed draft");
        body.put("status", "DRAFT");
        String id = createAgent(creator, body);
        createAgent(creator, agentBody("Listed active"));
        given().queryParam("creator", creatorId).get("/api/agents").then().statusCode(200)
                .body("agents.name", equalTo(List.of("Listed active")));
        given().queryParam("creator", creatorId).queryParam("status", "draft").get("/api/agents").then()
                .body("agents", hasSize(0)).body("total", equalTo(0));
        as(otherCreator).queryParam("creator", creatorId).queryParam("status", "draft").get("/api/agents").then()
                .body("agents", hasSize(0));
        as(creator).queryParam("status", "draft").get("/api/agents").then()
                .body("agents.id", equalTo(List.of(id)));
        as(admin).queryParam("creator", creatorId).queryParam("status", "DRAFT").get("/api/agents").then()
                .body("agents.id", equalTo(List.of(id)));
    }

    // --- update, delete ------------------------------------------------------------------------

    @Test
    void creatorUpdatesOnlyTheFieldsGiven() {
        String id = createAgent(creator, agentBody("Before"));
        as(creator).body(Map.of("name", "After", "price", "42")).put("/api/agents/" + id).then().statusCode(200)
                .body("name", equalTo("After"))
                .body("price", equalTo("42"))
                .body("description", equalTo("An agent made by a test, long enough to be valid."));
    }

    @Test
    void updatePermissions() {
        String id = createAgent(creator, agentBody("Guarded"));
        Map<String, Object> change = Map.of("description", "A new description, long enough.");
        given().contentType(ContentType.JSON).body(change).put("/api/agents/" + id).then().statusCode(401);
        as(user).body(change).put("/api/agents/" + id).then().statusCode(403);
        as(otherCreator).body(change).put("/api/agents/" + id).then().statusCode(403)
                .body("detail", containsString("only the agent's creator or an admin"));
        as(admin).body(change).put("/api/agents/" + id).then().statusCode(200);
        as(creator).body(change).put("/api/agents/" + id).then().statusCode(200);
    }

    @Test
    void invalidUpdateChangesNothing() {
        String id = createAgent(creator, agentBody("Stable"));
        as(creator).body(Map.of("name", "New name", "price", "-1")).put("/api/agents/" + id).then().statusCode(400);
        given().get("/api/agents/" + id).then().body("name", equalTo("Stable"));
    }

    @Test
    void deletePermissionsAndSoftDelete() {
        String id = createAgent(creator, agentBody("Doomed"));
        given().delete("/api/agents/" + id).then().statusCode(401);
        as(user).delete("/api/agents/" + id).then().statusCode(403);
        as(otherCreator).delete("/api/agents/" + id).then().statusCode(403);
        as(creator).delete("/api/agents/" + id).then().statusCode(204);
        given().get("/api/agents/" + id).then().statusCode(404);
        as(admin).get("/api/agents/" + id).then().statusCode(404);
        as(creator).delete("/api/agents/" + id).then().statusCode(404);
        given().queryParam("creator", creatorId).get("/api/agents").then().body("total", equalTo(0));
    }

    @Test
    void adminDeletesAnyAgent() {
        String id = createAgent(creator, agentBody("Moderated"));
        as(admin).delete("/api/agents/" + id).then().statusCode(204);
    }

    // --- list: filters, sort, pages ------------------------------------------------------------

    @Test
    void listHasThePaginationEnvelope() {
        createAgent(creator, agentBody("Enveloped"));
        given().queryParam("creator", creatorId).get("/api/agents").then().statusCode(200)
                .body("agents", hasSize(1)).body("page", equalTo(0)).body("size", equalTo(20))
                .body("total", equalTo(1));
    }

    @Test
    void filtersByCategoryTextAndPrice() {
        Map<String, Object> trading = agentBody("Momentum trader");
        trading.put("category", "TRADING");
        trading.put("price", "500");
        createAgent(creator, trading);
        Map<String, Object> analytics = agentBody("Wallet profiler");
        analytics.put("category", "ANALYTICS");
        analytics.put("description", "Profiles a wallet's MOMENTUM and habits over time.");
        analytics.put("price", "1500");
        createAgent(creator, analytics);
        createAgent(creator, agentBody("Plain utility"));

        given().queryParam("creator", creatorId).queryParam("category", "trading").get("/api/agents").then()
                .body("agents.name", equalTo(List.of("Momentum trader")));
        given().queryParam("creator", creatorId).queryParam("q", "momentum").queryParam("sort", "price_asc")
                .get("/api/agents").then()
                .body("agents.name", equalTo(List.of("Momentum trader", "Wallet profiler")));
        given().queryParam("creator", creatorId).queryParam("minPrice", "1000").queryParam("maxPrice", "2000")
                .get("/api/agents").then()
                .body("agents.name", equalTo(List.of("Wallet profiler")));
        given().queryParam("creator", creatorId).queryParam("q", "100%").get("/api/agents").then()
                .body("total", equalTo(0));
    }

    @Test
    void sortsByPriceAndNewest() {
        for (String price : List.of("300", "100", "200")) {
            Map<String, Object> body = agentBody("Priced " + price);
            body.put("price", price);
            createAgent(creator, body);
        }
        given().queryParam("creator", creatorId).queryParam("sort", "price_desc").get("/api/agents").then()
                .body("agents.price", equalTo(List.of("300", "200", "100")));
        given().queryParam("creator", creatorId).queryParam("sort", "newest").get("/api/agents").then()
                .body("agents.price", equalTo(List.of("200", "100", "300")));
    }

    @Test
    void pagesThroughResults() {
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = agentBody("Paged " + i);
            body.put("price", Integer.toString(i));
            createAgent(creator, body);
        }
        given().queryParam("creator", creatorId).queryParam("sort", "price_asc").queryParam("size", 2)
                .queryParam("page", 1).get("/api/agents").then()
                .body("agents.name", equalTo(List.of("Paged 2", "Paged 3")))
                .body("total", equalTo(5)).body("page", equalTo(1)).body("size", equalTo(2));
        given().queryParam("creator", creatorId).queryParam("size", 2).queryParam("page", 3).get("/api/agents")
                .then().body("agents", hasSize(0)).body("total", equalTo(5));
    }

    @Test
    void invalidListParametersAreBadRequests() {
        given().queryParam("size", 101).get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        given().queryParam("page", -1).get("/api/agents").then().statusCode(400);
        given().queryParam("sort", "random").get("/api/agents").then().statusCode(400)
                .body("errors[0].message", containsString("newest"));
        given().queryParam("category", "GAMES").get("/api/agents").then().statusCode(400);
        given().queryParam("minPrice", "cheap").get("/api/agents").then().statusCode(400);
        given().queryParam("creator", "someone").get("/api/agents").then().statusCode(400);
    }

    @Test
    void publicListShowsOnlyActiveAgents() {
        Map<String, Object> inactive = agentBody("Retired");
        inactive.put("status", "INACTIVE");
        createAgent(creator, inactive);
        given().queryParam("size", 100).get("/api/agents").then().statusCode(200)
                .body("agents.status", everyItem(equalTo("ACTIVE")))
                .body("agents.name", not(hasItem("Retired")));
    }

    @Test
    void locationHeaderNamesTheNewAgent() {
        String id = createAgent(creator, agentBody("Named"));
        as(creator).body(agentBody("Other")).post("/api/agents").then()
                .header("Location", not(endsWith(id)));
    }
}
