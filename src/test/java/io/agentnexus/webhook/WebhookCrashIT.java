package io.agentnexus.webhook;

import static io.agentnexus.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.chain.LocalChain;
import io.agentnexus.platform.dev.EmbeddedServers;
import io.agentnexus.platform.dev.JwtKeyFiles;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestWallet;
import io.agentnexus.webhook.WebhookReceiver.Answer;
import io.agentnexus.webhook.WebhookReceiver.Received;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At least once, across a crash: the packaged service (target/quarkus-app) is killed with SIGKILL while a
 * receiver holds a delivery open, then started again on the same database; the receiver gets that event
 * again with the same webhook-id and a valid signature, and, deduplicated by webhook-id, every event once.
 */
class WebhookCrashIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static EmbeddedServers servers;
    private static LocalChain chain;
    private static Map<String, String> config;
    private static int port;
    private static Process app;

    @BeforeAll
    static void startServers() throws IOException {
        servers = EmbeddedServers.ephemeral();
        chain = LocalChain.ephemeral();
        config = new HashMap<>(servers.config());
        config.putAll(JwtKeyFiles.ensure(Files.createTempDirectory("agentnexus-it-keys")));
        config.putAll(chain.config());
        config.put("agentnexus.chain.rpc-url", chain.rpcUrl());
        config.put("agentnexus.wallet.bundler-url", "http://127.0.0.1:9"); // not used here
        config.put("agentnexus.auth.admin-addresses", TestWallet.ADMIN.address());
        config.put("agentnexus.executions.workers", "0"); // runs stay QUEUED: cancelling one is the event
        config.put("agentnexus.webhooks.timeout", "5s");
        config.put("agentnexus.webhooks.lease", "8s"); // how soon a delivery cut by the crash goes again
        port = EmbeddedServers.freePort();
        config.put("quarkus.http.port", Integer.toString(port));
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = port;
    }

    @AfterAll
    static void stopServers() {
        if (app != null) {
            app.destroyForcibly();
        }
        RestAssured.reset();
        chain.close();
        servers.close();
    }

    @Test
    void aDeliveryCutByACrashIsSentAgainWithTheSameIdAndNoEventIsLost() throws Exception {
        app = startApp(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.answer(request -> {
                if (holding.getCount() == 1) { // the first delivery: held open until the service is dead
                    holding.countDown();
                    await(release);
                }
                return Answer.of(204);
            });
            String creator = Api.newCreator();
            String agentId = Api.createAgent(creator, Api.agentBody("Crash webhook"));
            String secret = as(creator).body(Map.of("url", receiver.url("/subscription"),
                    "events", List.of("execution.cancelled"))).post("/api/webhooks")
                    .then().statusCode(201).extract().path("secret");
            List<String> executions = new ArrayList<>();
            executions.add(cancelledRun(creator, agentId, receiver));

            assertTrue(holding.await(60, TimeUnit.SECONDS), "a delivery reached the receiver");
            app.destroyForcibly().waitFor(); // kill -9, mid-delivery
            release.countDown();
            Received cut = receiver.received().getFirst();

            app = startApp(2);
            executions.add(cancelledRun(creator, agentId, receiver));
            String runSecret = as(creator).get("/api/webhooks/secret").then().statusCode(200).extract().path("key");

            // four events: two runs cancelled, each to the run's own webhook and to the subscription
            Await.until(() -> distinctIds(receiver), ids -> ids.size() == 4, PATIENCE, "four distinct deliveries");
            Await.until(() -> receiver.received().stream().filter(r -> r.id().equals(cut.id())).count(),
                    seen -> seen >= 2, PATIENCE, "the cut delivery sent again");
            for (Received request : receiver.received()) {
                String key = request.path().equals("/subscription") ? secret : runSecret;
                assertTrue(WebhookReceiver.verified(request, key), request.toString());
            }
            Received again = receiver.received().stream().filter(r -> r.id().equals(cut.id())).toList().getLast();
            assertEquals(cut.body(), again.body());

            Map<String, Received> once = receiver.received().stream()
                    .collect(Collectors.toMap(Received::id, r -> r, (first, duplicate) -> first));
            Set<String> expected = executions.stream().flatMap(e -> Set.of("/run " + e, "/subscription " + e).stream())
                    .collect(Collectors.toSet());
            assertEquals(expected, once.values().stream()
                    .map(r -> r.path() + " " + io.restassured.path.json.JsonPath.from(r.body()).getString("data.id"))
                    .collect(Collectors.toSet()));
        }
    }

    /** Queues a run with its own webhook, then cancels it: the execution.cancelled event. */
    private static String cancelledRun(String token, String agentId, WebhookReceiver receiver) {
        String id = as(token).body(Map.of("agentId", agentId, "input", Map.of(), "webhook", receiver.url("/run"),
                "webhookEvents", List.of("execution.cancelled"))).post("/api/executions")
                .then().statusCode(202).extract().path("id");
        as(token).post("/api/executions/" + id + "/cancel").then().statusCode(200);
        return id;
    }

    private static Set<String> distinctIds(WebhookReceiver receiver) {
        return receiver.received().stream().map(Received::id).collect(Collectors.toSet());
    }

    /** The packaged application, as production runs it, with the test profile's settings and ours. */
    private static Process startApp(int run) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=test"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Path log = Path.of("target", "webhook-crash-it-" + run + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        Await.until(() -> ready(http, process), ready -> ready, PATIENCE, "the service ready (see " + log + ")");
        return process;
    }

    private static boolean ready(HttpClient http, Process process) {
        if (!process.isAlive()) {
            throw new AssertionError("the service exited: " + process.exitValue());
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
