package io.agentnexus.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, as a customer would write one: it records every request and checks
 * signatures the Standard Webhooks way, with its own HMAC code (not the service's).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, String id, String timestamp, String signature, String host, String contentType, String body) {
    }

    /** What to answer: a status code, and a Location for redirects. */
    record Answer(int status, String location) {
        static Answer of(int status) {
            return new Answer(status, null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> answer = r -> Answer.of(204);

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", exchange -> {
                var headers = exchange.getRequestHeaders();
                Received request = new Received(exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), headers.getFirst("Host"),
                        headers.getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                receiver.received.add(request);
                Answer reply = receiver.answer.apply(request); // may block: a receiver holding a delivery open
                if (reply.location() != null) {
                    exchange.getResponseHeaders().add("Location", reply.location());
                }
                exchange.sendResponseHeaders(reply.status(), -1);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:port{path} */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void answer(Function<Received, Answer> answer) {
        this.answer = answer;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests to one path. */
    public List<Received> at(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Signed with this secret over id.timestamp.body, at most five minutes ago (or ahead). */
    public static boolean verified(Received request, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
            boolean fresh = Duration.between(Instant.ofEpochSecond(Long.parseLong(request.timestamp())), Instant.now())
                    .abs().compareTo(Duration.ofMinutes(5)) <= 0;
            // the header may hold several space-separated signatures (secret rotation): any may match
            for (String signature : request.signature().split(" ")) {
                if (signature.startsWith("v1,") && fresh && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
