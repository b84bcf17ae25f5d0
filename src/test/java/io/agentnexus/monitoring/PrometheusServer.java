package io.agentnexus.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.dev.EmbeddedServers;
import io.agentnexus.support.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real Prometheus (Debian's package) scraping one target every second as job "agentnexus", with the given
 * rule file loaded; its configuration and TSDB in a directory of the test's, its output in prometheus.log there.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final URI api;
    private final Path log;

    private PrometheusServer(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /** Started and ready (its /-/ready answers); scraping {@code target} (host:port) at /q/metrics. */
    static PrometheusServer start(Path dir, String target, Path ruleFile) throws IOException {
        Tools.require(Tools.PROMETHEUS, Tools.PROMETHEUS_PACKAGE);
        int port = EmbeddedServers.freePort();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: agentnexus
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(ruleFile.toAbsolutePath(), target));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(Tools.PROMETHEUS, "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            Await.until(server::ready, Boolean::booleanValue, Duration.ofSeconds(30), "Prometheus becoming ready");
        } catch (AssertionError e) {
            server.close();
            throw new AssertionError(e.getMessage() + "\n" + server.log(), e);
        }
        return server;
    }

    /** An instant query's answer ({@code data.result}), at {@code time} (epoch seconds) if given. */
    JsonNode query(String promql, Optional<Double> time) {
        String url = api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + time.map(t -> "&time=" + t).orElse("");
        JsonNode answer = get(url);
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + promql + ": " + answer);
        }
        return answer.at("/data/result");
    }

    /** The single value of an aggregating query; empty when Prometheus has no such series. */
    Optional<Double> value(String promql, Optional<Double> time) {
        JsonNode result = query(promql, time);
        return result.isEmpty() ? Optional.empty() : Optional.of(Double.parseDouble(result.get(0).at("/value/1").asText()));
    }

    /** The loaded rule groups ({@code data.groups} of /api/v1/rules). */
    JsonNode ruleGroups() {
        return get(api + "/api/v1/rules").at("/data/groups");
    }

    String log() {
        try {
            return "--- prometheus.log ---\n" + Files.readString(log);
        } catch (IOException e) {
            return "(no prometheus.log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("Prometheus exited with " + process.exitValue() + "\n" + log());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(api.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
