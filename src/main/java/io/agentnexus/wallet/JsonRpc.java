package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentnexus.platform.error.DependencyUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC 2.0 client for the bundler and paymaster services. A service that cannot be reached, times
 * out, answers 5xx or 429 is {@link DependencyUnavailableException} (503); a JSON-RPC error is
 * {@link RpcError}, which callers turn into a 4xx.
 */
final class JsonRpc {

    private final String name;
    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;
    private final AtomicLong ids = new AtomicLong();

    JsonRpc(String name, String endpoint, Duration timeout, ObjectMapper json) {
        this.name = name;
        this.endpoint = URI.create(endpoint);
        this.timeout = timeout;
        this.json = json;
        // HTTP/1.1: an h2c upgrade request confuses some JSON-RPC servers (Alto answers it with nothing).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The JSON-RPC {@code error} of an answer: code, message and whatever data the service added. */
    static final class RpcError extends RuntimeException {

        private final int code;
        private final transient JsonNode data;

        RpcError(int code, String message, JsonNode data) {
            super(message, null, false, false);
            this.code = code;
            this.data = data;
        }

        int code() {
            return code;
        }

        JsonNode data() {
            return data;
        }
    }

    /** The {@code result} (may be a JSON null). */
    JsonNode call(String method, Object... params) {
        ObjectNode request = json.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", method);
        request.set("params", json.valueToTree(List.of(params)));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new DependencyUnavailableException("the " + name + " did not answer " + method + " within " + timeout, e);
        } catch (IOException e) {
            throw new DependencyUnavailableException("the " + name + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException("interrupted while calling the " + name, e);
        }
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new DependencyUnavailableException("the " + name + " answered HTTP " + response.statusCode(), null);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            throw new DependencyUnavailableException("the " + name + " answered HTTP " + response.statusCode()
                    + " with something that is not JSON-RPC", e);
        }
        JsonNode error = answer == null ? null : answer.get("error");
        if (error != null && !error.isNull()) {
            throw new RpcError(error.path("code").asInt(), error.path("message").asText(""), error.get("data"));
        }
        if (answer == null || !answer.has("result")) {
            throw new DependencyUnavailableException("the " + name + " answered HTTP " + response.statusCode()
                    + " without a JSON-RPC result", null);
        }
        return answer.get("result");
    }
}
