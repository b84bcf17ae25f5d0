package io.agentnexus.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP POST to a webhook URL. The host is resolved and checked once ({@link AddressGuard}), and the
 * connection goes to that checked address while the request keeps the URL's host (Host header, TLS SNI and
 * certificate check): a second DNS answer is never asked for. Redirects are not followed; the whole attempt
 * is bounded by the timeout; at most {@value #BODY_CAP} bytes of the answer are read.
 */
@ApplicationScoped
class WebhookSender {

    static final int BODY_CAP = 1024;

    /** What became of an attempt: a 2xx, or why not (the status code when there was an answer). */
    record Outcome(boolean delivered, Integer statusCode, String error) {
        static Outcome failed(String error) {
            return new Outcome(false, null, error);
        }
    }

    private final HttpClient client;
    private final AddressGuard guard;
    private final long timeoutMillis;

    WebhookSender(Vertx vertx, AddressGuard guard, WebhooksConfig config) {
        this.guard = guard;
        this.timeoutMillis = config.timeout().toMillis();
        // no pooled connections: each is made to an address checked for that very attempt
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxRedirects(0)
                .setVerifyHost(true).setForceSni(true).setConnectTimeout((int) timeoutMillis));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Never fails: a refused address, a timeout or an error answer is an unsuccessful outcome. */
    CompletableFuture<Outcome> send(String url, Map<String, String> headers, String body) {
        URI uri = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String host = AddressGuard.host(uri);
        InetAddress address;
        try {
            address = guard.resolve(host);
        } catch (UnknownHostException e) {
            return CompletableFuture.completedFuture(Outcome.failed("cannot resolve " + host));
        } catch (AddressGuard.RefusedAddressException e) {
            return CompletableFuture.completedFuture(Outcome.failed(e.getMessage()));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(host).setPort(port).setSsl(tls).setURI(pathAndQuery(uri)).setFollowRedirects(false)
                .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis)
                .putHeader("content-type", "application/json");
        headers.forEach(options::putHeader);
        return client.request(options)
                // outcome composed on send's own future, so that it runs as the response arrives, on the request's
                // context: composed on the outer future it could run a hop later, after a short answer had ended
                .compose(request -> request.send(Buffer.buffer(body, StandardCharsets.UTF_8.name()))
                        .compose(WebhookSender::outcome))
                .toCompletionStage().toCompletableFuture()
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .exceptionally(e -> Outcome.failed(describe(e)));
    }

    /** 2xx is delivered; anything else (3xx too: redirects are not followed) failed, with the answer's start. */
    static io.vertx.core.Future<Outcome> outcome(HttpClientResponse response) {
        int status = response.statusCode();
        Buffer start = Buffer.buffer();
        var done = io.vertx.core.Promise.<Outcome>promise();
        Runnable finish = () -> done.tryComplete(status >= 200 && status < 300 ? new Outcome(true, status, null)
                : new Outcome(false, status, "HTTP " + status + answer(start)));
        try {
            response.handler(chunk -> {
                start.appendBuffer(chunk, 0, Math.min(chunk.length(), BODY_CAP - start.length()));
                if (start.length() >= BODY_CAP) {
                    finish.run();
                    response.request().reset(); // the rest is not read
                }
            });
            response.endHandler(v -> finish.run());
            response.exceptionHandler(e -> finish.run());
        } catch (IllegalStateException ended) {
            // Vert.x refuses handlers once the response has ended: the status is what counts. Counted as a failed
            // attempt, a delivered webhook was sent again (seen under load before outcome ran on send's future).
            finish.run();
        }
        return done.future();
    }

    private static String answer(Buffer start) {
        String text = start.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : ": " + text.substring(0, Math.min(text.length(), 200));
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + timeoutMillis + " ms";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
