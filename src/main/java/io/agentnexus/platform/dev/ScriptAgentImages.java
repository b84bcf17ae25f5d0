package io.agentnexus.platform.dev;

import io.agentnexus.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Agent images built locally, nothing pulled: a base {@code FROM scratch} holding the host's static
 * busybox (Debian's busybox-static), and agents that are one shell script on top of it. The demo agents
 * of dev mode and the agents of the tests are made this way.
 */
public final class ScriptAgentImages {

    /** Where Debian's busybox-static puts its binary. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private ScriptAgentImages() {
    }

    /** Builds the base image: busybox and its applets in /bin, on an empty root. */
    public static void buildBase(ContainerRuntime runtime, String tag) {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing: install busybox-static (apt-get install busybox-static)");
        }
        build(runtime, tag, """
                FROM scratch
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                """, context -> Files.copy(BUSYBOX, context.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES));
    }

    /** Builds an agent whose entrypoint is {@code script} run by busybox sh, on top of {@code base}. */
    public static String buildScriptAgent(ContainerRuntime runtime, String base, String tag, String script) {
        return buildScriptAgent(runtime, base, tag, "", script);
    }

    /** The same, with {@code instructions} (Dockerfile lines, e.g. a VOLUME) between FROM and the script. */
    public static String buildScriptAgent(ContainerRuntime runtime, String base, String tag, String instructions,
            String script) {
        return build(runtime, tag, "FROM " + base + "\n" + instructions
                + "COPY agent.sh /agent.sh\nENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
                context -> Files.writeString(context.resolve("agent.sh"), script));
    }

    private interface ContextWriter {
        void write(Path context) throws IOException;
    }

    private static String build(ContainerRuntime runtime, String tag, String dockerfile, ContextWriter files) {
        Path context = null;
        try {
            context = Files.createTempDirectory("agent-image");
            Files.writeString(context.resolve("Dockerfile"), dockerfile);
            files.write(context);
            return runtime.buildImage(context, tag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static void deleteQuietly(Path context) {
        if (context == null) {
            return;
        }
        try (var files = Files.walk(context)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
