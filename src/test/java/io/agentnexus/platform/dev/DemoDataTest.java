package io.agentnexus.platform.dev;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

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
}
