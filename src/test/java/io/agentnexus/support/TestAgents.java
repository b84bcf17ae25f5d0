package io.agentnexus.support;

import io.agentnexus.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Agent images built locally for tests: FROM scratch, a static busybox (Debian's busybox-static), and
 * a shell script as the agent. Nothing is pulled.
 */
public final class TestAgents {

    public static final String ECHO = "agentnexus-test/echo:1";
    public static final String FAIL = "agentnexus-test/fail:1";
    public static final String SLOW = "agentnexus-test/slow:1";
    public static final String NOISY = "agentnexus-test/noisy:1";
    public static final String MEMORY_HOG = "agentnexus-test/memory-hog:1";
    public static final String PROBE = "agentnexus-test/probe:1";
    public static final String INVALID_OUTPUT = "agentnexus-test/invalid-output:1";
    public static final String HUGE_OUTPUT = "agentnexus-test/huge-output:1";

    private static final String BASE = "agentnexus-test/busybox:1";
    private static boolean built;

    private TestAgents() {
    }

    /** Builds every test agent once per JVM. */
    public static synchronized void build(ContainerRuntime runtime) {
        if (built) {
            return;
        }
        image(runtime, BASE, """
                FROM scratch
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                """);
        agent(runtime, ECHO, """
                read -r line
                echo "stdin: $line" >&2
                echo "working on it"
                echo "{\\"echo\\": $INPUT}"
                """);
        agent(runtime, FAIL, """
                echo "cannot do this: bad input" >&2
                exit 3
                """);
        agent(runtime, SLOW, """
                echo "started"
                sleep 600
                """);
        agent(runtime, NOISY, """
                i=0
                while true; do echo "line $i of a flood"; i=$((i+1)); done
                """);
        agent(runtime, MEMORY_HOG, """
                x=$(head -c 800000000 /dev/zero | tr '\\0' 'a')
                echo "{\\"survived\\": true}"
                """);
        agent(runtime, PROBE, """
                if touch /written 2>/dev/null; then root=true; else root=false; fi
                if touch /tmp/written 2>/dev/null; then tmp=true; else tmp=false; fi
                nets=$(ls /sys/class/net | tr '\\n' ' ')
                echo "{\\"uid\\": $(id -u), \\"rootWritable\\": $root, \\"tmpWritable\\": $tmp, \\"interfaces\\": \\"$nets\\"}"
                """);
        agent(runtime, INVALID_OUTPUT, """
                echo "this is not JSON"
                """);
        agent(runtime, HUGE_OUTPUT, """
                printf '{"blob": "'
                head -c 1100000 /dev/zero | tr '\\0' 'a'
                echo '"}'
                """);
        built = true;
    }

    private static void agent(ContainerRuntime runtime, String tag, String script) {
        image(runtime, tag, "FROM " + BASE + "\nCOPY agent.sh /agent.sh\nENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
                script);
    }

    private static void image(ContainerRuntime runtime, String tag, String dockerfile, String... script) {
        try {
            Path context = Files.createTempDirectory("agent-image");
            Files.writeString(context.resolve("Dockerfile"), dockerfile);
            if (script.length > 0) {
                Files.writeString(context.resolve("agent.sh"), script[0]);
            } else {
                Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            }
            runtime.buildImage(context, tag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
