package io.agentnexus.user;

import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Concurrently.together;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Users racing for one username or email: one wins, the others get 409, none a 500. */
@QuarkusTest
class ProfileRaceTest {

    private static final int USERS = 8;

    private static List<String> users() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            tokens.add(Api.signIn(TestWallet.random()));
        }
        return tokens;
    }

    private static void oneWinsTheRestConflict(List<Response> answers) {
        List<Integer> statuses = answers.stream().map(Response::statusCode).sorted().toList();
        List<Integer> expected = new ArrayList<>(List.of(200));
        while (expected.size() < USERS) {
            expected.add(409);
        }
        assertEquals(expected, statuses, answers.stream().map(Response::asString).toList().toString());
        answers.stream().filter(r -> r.statusCode() == 409)
                .forEach(r -> assertEquals("application/problem+json", r.contentType()));
    }

    @Test
    void racingForOneUsername() throws Exception {
        List<String> tokens = users();
        for (int round = 0; round < 3; round++) {
            String name = "race_" + UUID.randomUUID().toString().substring(0, 8);
            oneWinsTheRestConflict(together(USERS, i -> as(tokens.get(i)).body(Map.of("username", name))
                    .put("/api/users/me")));
        }
    }

    @Test
    void racingForOneEmail() throws Exception {
        List<String> tokens = users();
        for (int round = 0; round < 3; round++) {
            String email = "race-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            oneWinsTheRestConflict(together(USERS, i -> as(tokens.get(i)).body(Map.of("email", email))
                    .put("/api/users/me")));
        }
    }
}
