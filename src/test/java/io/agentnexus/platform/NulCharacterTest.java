package io.agentnexus.platform;

import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.equalTo;

import io.agentnexus.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** U+0000 cannot be stored by PostgreSQL: any JSON body holding it is a 400, and nothing is written. */
@QuarkusTest
class NulCharacterTest {

    private String creator;
    private String creatorId;

    @BeforeEach
    void signIn() {
        creator = Api.newCreator();
        creatorId = as(creator).get("/api/users/me").then().extract().path("id");
    }

    private static String agentJson(String name) {
        return """
                {"name": "%s", "description": "An agent made by a test, long enough to be valid.",
                 "category": "UTILITY", "price": "0", "dockerImage": "agentnexus/echo:1.0.0",
                 "inputSchema": {"type": "object"}, "outputSchema": {"type": "object"}, "status": "DRAFT"}
                """.formatted(name);
    }

    private void creatorHasNoAgents() {
        as(creator).queryParam("creator", creatorId).queryParam("status", "DRAFT").get("/api/agents")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void escapedNulInAnAgentNameIsABadRequest() {
        as(creator).body(agentJson("Nul\\u0000Agent")).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("must not contain the NUL character (U+0000)"));
        creatorHasNoAgents();
    }

    @Test
    void rawNulInAnAgentNameIsABadRequest() {
        byte[] body = agentJson("Nul\0Agent").getBytes(StandardCharsets.UTF_8);
        as(creator).body(body).post("/api/agents").then().statusCode(400).contentType("application/problem+json");
        creatorHasNoAgents();
    }

    @Test
    void nulInExecutionInputIsABadRequest() {
        String agentId = createAgent(creator, Api.agentBody("Nul input"));
        as(creator).body("{\"agentId\": \"" + agentId + "\", \"input\": {\"items\": [\"ok\", \"bad\\u0000\"]}}")
                .post("/api/executions").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("input.items[1]"));
        as(creator).body("{\"agentId\": \"" + agentId + "\", \"input\": {\"k\\u0000ey\": 1}}")
                .post("/api/executions").then().statusCode(400)
                .body("errors[0].field", equalTo("input.k\\u0000ey"));
        as(creator).queryParam("agentId", agentId).get("/api/executions").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void nulInAProfileIsABadRequest() {
        as(creator).body("{\"username\": \"a\\u0000b\"}").put("/api/users/me").then().statusCode(400)
                .body("errors[0].field", equalTo("username"));
    }
}
