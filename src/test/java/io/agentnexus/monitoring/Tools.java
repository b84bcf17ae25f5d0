package io.agentnexus.monitoring;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The monitoring tools the checks run for real (Debian's prometheus package): found, or the test fails saying how. */
final class Tools {

    static final String PROMTOOL = System.getenv().getOrDefault("PROMTOOL", "promtool");
    static final String PROMETHEUS = System.getenv().getOrDefault("PROMETHEUS", "prometheus");

    private Tools() {
    }

    record Result(int status, String output) {
    }

    static final String PROMETHEUS_PACKAGE = "apt-get install --no-install-recommends prometheus";

    /** Fails the test, never skips it: CI installs the tool ({@code install} says how). */
    static void require(String tool, String install) {
        try {
            run(tool, "--version");
        } catch (AssertionError e) {
            fail(tool + " is missing: " + install + " (" + e.getMessage() + ")");
        }
    }

    static Result run(String... command) {
        return run(null, command);
    }

    /** Runs to its end in {@code dir} (null: the current directory); stdout and stderr together. */
    static Result run(Path dir, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
