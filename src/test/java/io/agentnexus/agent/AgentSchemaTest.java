package io.agentnexus.agent;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.agentnexus.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A creator's JSON Schemas are checked at publish, and checking them never reads a URL or a file. */
@QuarkusTest
class AgentSchemaTest {

    private String creator;

    @BeforeEach
    void signIn() {
        creator = Api.newCreator();
    }

    private io.restassured.response.ValidatableResponse publish(String field, Object schema) {
        Map<String, Object> body = agentBody("Schema check");
        body.put(field, schema);
        return as(creator).body(body).post("/api/agents").then();
    }

    @Test
    void remoteReferenceIsRefusedWithoutBeingFetched() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/x";
            publish("inputSchema", Map.of("$ref", url)).statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("inputSchema"))
                    .body("errors[0].message", containsString(url));
            // nested, and through $id: a relative reference against a remote base is just as outside
            publish("outputSchema", Map.of("type", "object", "properties", Map.of("a", Map.of("$ref", url))))
                    .statusCode(400).body("errors[0].field", equalTo("outputSchema"));
            publish("inputSchema", Map.of("$id", url, "properties", Map.of("a", Map.of("$ref", "y"))))
                    .statusCode(400);
            assertEquals(0, requests.get(), "the service fetched the creator's URL");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fileReferenceIsRefused() throws Exception {
        Path secret = Files.createTempFile("schema", ".json");
        Files.writeString(secret, "{\"type\":\"string\",\"description\":\"local file content\"}");
        publish("inputSchema", Map.of("$ref", secret.toUri().toString())).statusCode(400)
                .body("errors[0].field", equalTo("inputSchema"))
                .body(org.hamcrest.Matchers.not(containsString("local file content")));
        publish("inputSchema", Map.of("$ref", "classpath:application.properties")).statusCode(400);
    }

    @Test
    void danglingLocalReferenceIsRefused() {
        publish("inputSchema", Map.of("$ref", "#/defs/missing")).statusCode(400)
                .body("errors[0].field", equalTo("inputSchema"))
                .body("errors[0].message", containsString("/defs/missing"));
        publish("outputSchema", Map.of("properties", Map.of("a", Map.of("$ref", "#/$defs/nothing"))))
                .statusCode(400).body("errors[0].field", equalTo("outputSchema"));
    }

    @Test
    void resolvingLocalReferencesAreAccepted() {
        Map<String, Object> schema = Map.of("$defs", Map.of("name", Map.of("type", "string")),
                "type", "object", "properties", Map.of("a", Map.of("$ref", "#/$defs/name")),
                "enum", List.of(Map.of("$ref", "data, not a reference")));
        publish("inputSchema", schema).statusCode(201);
    }

    @Test
    void somethingThatIsNotASchemaIsRefused() {
        publish("inputSchema", Map.of("type", 5)).statusCode(400)
                .body("errors.field", hasItem("inputSchema.type"));
        publish("outputSchema", Map.of("properties", Map.of("a", Map.of("pattern", "(")))).statusCode(400)
                .body("errors[0].field", equalTo("outputSchema"));
    }

    @Test
    void unsupportedDraftIsRefused() {
        publish("inputSchema", Map.of("$schema", "http://127.0.0.1:1/my-meta-schema")).statusCode(400)
                .body("errors[0].field", equalTo("inputSchema.$schema"));
        publish("inputSchema", Map.of("$schema", "http://json-schema.org/draft-07/schema#", "type", "object"))
                .statusCode(201);
    }

    @Test
    void referenceLoopIsRefused() {
        publish("inputSchema", Map.of("$ref", "#")).statusCode(400)
                .body("errors[0].message", containsString("loop"));
    }

    @Test
    void oversizedSchemaIsRefused() {
        publish("inputSchema", Map.of("description", "x".repeat(70_000))).statusCode(400)
                .body("errors[0].field", equalTo("inputSchema"))
                .body("errors[0].message", containsString("65536"));
    }

    @Test
    void bothSchemasAreReportedTogetherAndAnUpdateIsCheckedToo() {
        Map<String, Object> body = agentBody("Both wrong");
        body.put("inputSchema", Map.of("type", 5));
        body.put("outputSchema", Map.of("$ref", "file:/etc/passwd"));
        as(creator).body(body).post("/api/agents").then().statusCode(400)
                .body("errors.field", hasItem("inputSchema.type"))
                .body("errors.field", hasItem("outputSchema"));
        String id = createAgent(creator, agentBody("Later broken"));
        as(creator).body(Map.of("outputSchema", Map.of("$ref", "#/nowhere"))).put("/api/agents/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("outputSchema"));
        as(creator).get("/api/agents/" + id).then().body("outputSchema", equalTo(Map.of("type", "object")));
    }
}
