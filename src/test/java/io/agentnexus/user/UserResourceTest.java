package io.agentnexus.user;

import static io.agentnexus.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

    private final TestWallet wallet = TestWallet.random();

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void meShowsTheProfile() {
        as(Api.signIn(wallet)).get("/api/users/me").then().statusCode(200)
                .body("walletAddress", equalTo(wallet.address()))
                .body("username", nullValue())
                .body("roles", equalTo(java.util.List.of("user")));
    }

    @Test
    void profileUpdateIsStored() {
        String token = Api.signIn(wallet);
        String name = unique("alice_");
        as(token).body(Map.of("username", name, "email", name + "@example.com")).put("/api/users/me")
                .then().statusCode(200).body("username", equalTo(name));
        as(token).get("/api/users/me").then().body("username", equalTo(name))
                .body("email", equalTo(name + "@example.com"));
    }

    @Test
    void nullClearsAField() {
        String token = Api.signIn(wallet);
        as(token).body(Map.of("username", unique("bob_"))).put("/api/users/me").then().statusCode(200);
        Map<String, Object> cleared = new HashMap<>();
        cleared.put("username", null);
        as(token).body(cleared).put("/api/users/me").then().statusCode(200).body("username", nullValue());
    }

    @Test
    void takenUsernameOrEmailIsAConflict() {
        String name = unique("carol_");
        as(Api.signIn(TestWallet.random())).body(Map.of("username", name, "email", name + "@example.com"))
                .put("/api/users/me").then().statusCode(200);
        String token = Api.signIn(wallet);
        as(token).body(Map.of("username", name.toUpperCase())).put("/api/users/me").then().statusCode(409)
                .contentType("application/problem+json");
        as(token).body(Map.of("email", name.toUpperCase() + "@EXAMPLE.com")).put("/api/users/me").then()
                .statusCode(409);
    }

    @Test
    void invalidProfileIsABadRequest() {
        as(Api.signIn(wallet)).body(Map.of("username", "x", "email", "not-an-email")).put("/api/users/me")
                .then().statusCode(400)
                .body("errors.field", equalTo(java.util.List.of("email", "username")));
    }

    @Test
    void profileNeedsSignIn() {
        given().contentType("application/json").body(Map.of()).put("/api/users/me").then().statusCode(401);
    }
}
