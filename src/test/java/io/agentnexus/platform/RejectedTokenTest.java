package io.agentnexus.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentnexus.support.LogRecorder;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RejectedTokenTest {

    // Also a guard for anyone who touches Quarkus's auth-failure handler (e.g. to spare the REST layer's
    // per-request route matching, see the README): replacing it made every 401 be written twice.
    @Test
    void aRejectedTokenAnswersOneProblemAndItsRouteIsNamedInTheMetrics() {
        String id = UUID.randomUUID().toString();
        try (LogRecorder errors = LogRecorder.errors()) {
            given().header("Authorization", "Bearer not-a-token").get("/api/executions/" + id).then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401))
                    .header("WWW-Authenticate", "Bearer");
            given().get("/q/health/live").then().statusCode(200);
            assertEquals(List.of(), errors.about(id));
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("status=\"401\",uri=\"/api/executions/{id}\""))
                .body(not(containsString(id)));
    }
}
