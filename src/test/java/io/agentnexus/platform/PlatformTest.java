package io.agentnexus.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlatformTest {

    @Test
    void platformPublishesItsChainContractsAndReceiptSigner() {
        given().get("/api/platform").then().statusCode(200)
                .body("chainId", equalTo(31337))
                .body("escrowAddress", matchesPattern("0x[0-9a-fA-F]{40}"))
                .body("entitlementsAddress", matchesPattern("0x[0-9a-fA-F]{40}"))
                .body("receiptSigner", equalTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")) // the operator (anvil #0)
                .body("receiptDomain.name", equalTo("AgentNexus"))
                .body("receiptDomain.version", equalTo("1"))
                .body("receiptDomain.chainId", equalTo(31337));
    }

    @Test
    void unknownRouteIsAProblem() {
        given().get("/api/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"));
    }

    @Test
    void wrongMethodIsAProblem() {
        given().delete("/api/users/auth/nonce").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void givenRequestIdIsEchoedAndInErrors() {
        given().header("X-Request-Id", "trace-123").get("/api/agents/" + java.util.UUID.randomUUID())
                .then().statusCode(404)
                .header("X-Request-Id", "trace-123")
                .body("requestId", equalTo("trace-123"));
    }

    @Test
    void requestIdIsGeneratedWhenMissingOrUnsafe() {
        given().get("/api/agents").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "bad id\twith spaces").get("/api/agents").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void readinessIsTheDatabaseAloneAndTheSharedDependenciesShowAsWellness() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", contains("Database connections health check"));
        given().get("/q/health/well").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("Redis connection health check", "Chain RPC health check",
                        "Container engine health check"));
        given().get("/q/health").then().statusCode(200).body("checks.size()", equalTo(4));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsHaveLatencyHistogramsAndSignInOutcomes() {
        Api.signIn(TestWallet.random());
        given().get("/api/agents").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket{"))
                .body(containsString("uri=\"/api/agents\""))
                .body(containsString("quantile=\"0.95\""))
                .body(containsString("agentnexus_signins_total{outcome=\"success\"}"));
    }

    @Test
    void openApiDocumentsSecurityAndProblems() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("components.schemas.Problem", notNullValue())
                .body("paths.'/api/agents'.post.security", notNullValue())
                .body("paths.'/api/agents'.post.responses.'400'.content.'application/problem+json'", notNullValue())
                .body("paths.'/api/agents'.post.responses.'401'", notNullValue())
                .body("paths.'/api/agents/{id}'.get.responses.'404'", notNullValue())
                .body("paths.'/api/agents'.get.responses.'429'", notNullValue());
    }
}
