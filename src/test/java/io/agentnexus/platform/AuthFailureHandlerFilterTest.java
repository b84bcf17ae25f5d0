package io.agentnexus.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.agentnexus.platform.web.AuthFailureHandlerFilter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthFailureHandlerFilterTest {

    @Inject
    Router router;

    @Test
    void requestsCarryOurAuthFailureHandlerPastQuarkusRestsFilter() {
        // After every filter (the authentication handler's at 200, Quarkus REST's at 199), before the REST routes.
        Route probe = router.route("/auth-failure-handler-probe").order(-1).handler(context -> context.response()
                .end(context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) == AuthFailureHandlerFilter.FAIL_FOR_REST
                        ? "ours" : String.valueOf(context.<Object>get(QuarkusHttpUser.AUTH_FAILURE_HANDLER))));
        try {
            given().get("/auth-failure-handler-probe").then().statusCode(200).body(equalTo("ours"));
        } finally {
            probe.remove();
        }
    }

    @Test
    void aRejectedTokenStillAnswersAProblemAndItsRouteIsNamedInTheMetrics() {
        String id = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer not-a-token").get("/api/executions/" + id).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("uri=\"/api/executions/{id}\""))
                .body(not(containsString(id)));
    }
}
