package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A JSON-RPC service on 127.0.0.1 (a JDK HttpServer on a free port) that plays a paymaster: it records every
 * request and answers each method as the test scripted it. An unscripted method is a JSON-RPC -32601 error.
 */
final class FakeJsonRpcService implements AutoCloseable {

    /** What the service received: HTTP method, Content-Type and the parsed JSON body. */
    record Request(String httpMethod, String contentType, JsonNode body) {

        String method() {
            return body.path("method").asText();
        }

        JsonNode params() {
            return body.path("params");
        }
    }

    /** How the service answers one JSON-RPC method. */
    sealed interface Answer {
    }

    record Result(JsonNode result) implements Answer {
    }

    record Error(int code, String message) implements Answer {
    }

    record HttpStatus(int status) implements Answer {
    }

    /** Answers only when the test is over (close()): a service that is too slow. */
    record Hold() implements Answer {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeJsonRpcService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rpc";
    }

    /** A URL on 127.0.0.1 where nothing listens (a port that was free a moment ago). */
    static String closedUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/rpc";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeJsonRpcService answer(String method, Answer answer) {
        answers.put(method, answer);
        return this;
    }

    FakeJsonRpcService result(String method, String resultJson) {
        try {
            return answer(method, new Result(json.readTree(resultJson)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            Request request = new Request(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(request);
            Answer answer = answers.getOrDefault(request.method(), new Error(-32601, "method not found"));
            if (answer instanceof HttpStatus(int status)) {
                byte[] text = "Service Unavailable".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, text.length);
                exchange.getResponseBody().write(text);
                return;
            }
            if (answer instanceof Hold) {
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ObjectNode reply = json.createObjectNode().put("jsonrpc", "2.0");
            reply.set("id", body.get("id"));
            switch (answer) {
                case Result(JsonNode result) -> reply.set("result", result);
                case Error(int code, String message) -> reply.putObject("error").put("code", code).put("message", message);
                default -> reply.putNull("result");
            }
            byte[] bytes = json.writeValueAsBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
