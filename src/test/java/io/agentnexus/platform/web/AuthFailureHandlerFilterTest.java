package io.agentnexus.platform.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The filter's effect; {@code RejectedTokenTest} checks that a rejected token still answers as it should. */
@QuarkusTest
class AuthFailureHandlerFilterTest {

    @Inject
    Router router;

    @Inject
    AuthFailureHandlerFilter filter;

    @Test
    void requestsPassQuarkusRestsFilterWithTheSharedHandlerNotOneBuiltForThem() {
        Object shared = filter.restHandler();
        assertNotNull(shared, "Quarkus REST's handler class is there (Quarkus 3.34)");
        // After every filter (the authentication handler's, then Quarkus REST's), before the routes. Without this
        // filter, Quarkus REST's builds a request mapper and puts a new handler of the same class for each request.
        Route probe = router.route("/auth-failure-handler-probe").order(-1).handler(context -> context.response()
                .end(context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) == shared ? "shared"
                        : String.valueOf(context.<Object>get(QuarkusHttpUser.AUTH_FAILURE_HANDLER))));
        try {
            given().get("/auth-failure-handler-probe").then().statusCode(200).body(equalTo("shared"));
            given().get("/auth-failure-handler-probe").then().statusCode(200).body(equalTo("shared"));
        } finally {
            probe.remove();
        }
    }
}
