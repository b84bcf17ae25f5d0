package io.agentnexus.platform.dev;

import static io.agentnexus.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentnexus.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev-mode demo catalog: seeded idempotently, and every demo agent runs on its locally built image. */
@QuarkusTest
class DemoDataTest {

    @Inject
    DemoData demoData;

    @Test
    void seedsTheDemoCatalogOnceHoweverOftenItRuns() {
        demoData.seed();
        demoData.seed();
        String creatorId = given().queryParam("q", "Gas Oracle").get("/api/agents").then().statusCode(200)
                .extract().path("agents[0].creator.id");
        given().queryParam("creator", creatorId).get("/api/agents").then()
                .body("total", equalTo(4))
                .body("agents.name", hasItems("Echo", "Gas Oracle", "DCA Planner", "Pool Watcher"))
                .body("agents[0].creator.walletAddress", equalTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    }

    @Test
    void everyDemoAgentRunsItsExampleAndReturnsAMeaningfulResult() {
        demoData.seed();
        String admin = Api.admin();
        for (Path folder : demoData.folders()) {
            DemoData.DemoAgent demo = demoData.read(folder);
            String agentId = given().queryParam("q", demo.name()).get("/api/agents").then().statusCode(200)
                    .extract().path("agents[0].id");
            String executionId = as(admin).body(Map.of("agentId", agentId, "input", demo.exampleInput()))
                    .post("/api/executions").then().statusCode(202).extract().path("id");
            JsonPath run = Api.awaitExecution(admin, executionId);
            assertEquals("SUCCEEDED", run.getString("status"), demo.name() + ": " + run.getString("errorMessage"));
            check(demo.name(), run);
        }
    }

    private static void check(String agent, JsonPath run) {
        switch (agent) {
            case "Echo" -> assertEquals(Map.of("message", "hello, agents"), run.getMap("output.echo"));
            case "Gas Oracle" -> {
                assertEquals(4, run.getInt("output.samples"));
                assertEquals(13.325, run.getDouble("output.averageBaseFeeGwei"), 1e-9);
                assertEquals("rising", run.getString("output.trend"));
                assertEquals(2.25, run.getDouble("output.suggestedPriorityFeeGwei"), 1e-9);
            }
            case "DCA Planner" -> {
                assertEquals(List.of(0, 7, 14, 21), run.getList("output.schedule.day"));
                assertEquals(1000.0, run.<Number>getList("output.schedule.amount").stream()
                        .mapToDouble(Number::doubleValue).sum(), 1e-9);
            }
            case "Pool Watcher" -> {
                assertEquals(42000.0, run.getDouble("output.liquidityChange"), 1e-9);
                assertEquals(4.2, run.getDouble("output.liquidityChangePct"), 1e-9);
                assertEquals(279.75, run.getDouble("output.feesEarned"), 1e-9);
                assertEquals("growing", run.getString("output.trend"));
            }
            default -> throw new AssertionError("a demo agent without a check: " + agent);
        }
    }
}
