package io.agentnexus.platform;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import io.agentnexus.support.Api;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.SmallQuotas.class)
class RateLimitTest {

    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "agentnexus.rate-limit.api.limit", "10",
                    "agentnexus.rate-limit.api.window", "1m",
                    "agentnexus.rate-limit.policies.agent-write.limit", "2",
                    "agentnexus.rate-limit.policies.agent-write.window", "1h",
                    "agentnexus.rate-limit.policies.executions.limit", "1",
                    "agentnexus.rate-limit.policies.executions.window", "1h",
                    "agentnexus.executions.workers", "0");
        }
    }

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void freshCounters() {
        redis.flushall();
    }

    @Test
    void apiQuotaPerAddressEndsIn429WithRetryAfter() {
        for (int i = 1; i <= 10; i++) {
            given().get("/api/agents").then().statusCode(200)
                    .header("RateLimit-Limit", "10")
                    .header("RateLimit-Remaining", Integer.toString(10 - i));
        }
        given().get("/api/agents").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .header("RateLimit-Remaining", "0")
                .body("status", equalTo(429));
        int retryAfter = Integer.parseInt(given().get("/api/agents").then().extract().header("Retry-After"));
        org.hamcrest.MatcherAssert.assertThat(retryAfter, lessThanOrEqualTo(60));
        given().get("/q/health/live").then().statusCode(200); // operations endpoints are not counted
    }

    /** Seconds until the window resets: more than 60 (the API window) shows it is the policy's hour. */
    private static org.hamcrest.Matcher<String> resetWithin(int seconds) {
        return org.hamcrest.Matchers.both(org.hamcrest.Matchers.<String>hasToString(
                org.hamcrest.Matchers.matchesPattern("[0-9]+")))
                .and(new org.hamcrest.TypeSafeMatcher<String>() {
                    @Override
                    protected boolean matchesSafely(String value) {
                        long reset = Long.parseLong(value);
                        return reset > 60 && reset <= seconds;
                    }

                    @Override
                    public void describeTo(org.hamcrest.Description description) {
                        description.appendText("seconds in (60, " + seconds + "]");
                    }
                });
    }

    @Test
    void executionsHaveAPerUserQuota() {
        String creator = Api.newCreator(); // 5 API requests
        String agentId = as(creator).body(agentBody("Quota")).post("/api/agents").then().statusCode(201)
                .extract().path("id");
        Map<String, Object> run = Map.of("agentId", agentId, "input", Map.of());
        as(creator).body(run).post("/api/executions").then().statusCode(202);
        as(creator).body(run).post("/api/executions").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .header("RateLimit-Limit", "1")
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", resetWithin(3600))
                .body("detail", org.hamcrest.Matchers.containsString("executions"));
    }

    @Test
    void agentWritesHaveAPerUserQuota() {
        String creator = Api.newCreator(); // 5 API requests
        as(creator).body(agentBody("One")).post("/api/agents").then().statusCode(201);
        as(creator).body(agentBody("Two")).post("/api/agents").then().statusCode(201);
        as(creator).body(agentBody("Three")).post("/api/agents").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .header("RateLimit-Limit", "2")
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", resetWithin(3600))
                .body("detail", org.hamcrest.Matchers.containsString("agent-write"));
    }
}
