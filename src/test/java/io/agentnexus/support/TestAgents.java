package io.agentnexus.support;

import io.agentnexus.platform.dev.ScriptAgentImages;
import io.agentnexus.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Agent images built locally for tests: FROM scratch, a static busybox (Debian's busybox-static), and
 * a shell script as the agent. Nothing is pulled.
 */
public final class TestAgents {

    public static final String ECHO = "agentnexus-test/echo:1";
    public static final String FAIL = "agentnexus-test/fail:1";
    public static final String SLOW = "agentnexus-test/slow:1";
    /** Succeeds after five seconds: long enough to be caught running, short enough to wait for. */
    public static final String NAP = "agentnexus-test/nap:1";
    public static final String NOISY = "agentnexus-test/noisy:1";
    public static final String MEMORY_HOG = "agentnexus-test/memory-hog:1";
    public static final String PROBE = "agentnexus-test/probe:1";
    public static final String INVALID_OUTPUT = "agentnexus-test/invalid-output:1";
    public static final String HUGE_OUTPUT = "agentnexus-test/huge-output:1";
    /** About 2 MB on stdout in 20 000 lines, then its input echoed as the result. */
    public static final String CHATTY = "agentnexus-test/chatty:1";
    /** NUL bytes in its logs and an escaped NUL in its result's strings and keys. */
    public static final String NUL_OUTPUT = "agentnexus-test/nul-output:1";
    /** Reports the sizes of the input on stdin and in INPUT, and INPUT_ON_STDIN. */
    public static final String INPUT_SIZES = "agentnexus-test/input-sizes:1";
    /** An image declaring VOLUME /data (writable by the agent's user); tries to write 100 MiB there. */
    public static final String VOLUME_WRITER = "agentnexus-test/volume-writer:1";

    private static final String BASE = "agentnexus-test/busybox:1";
    private static boolean built;

    private TestAgents() {
    }

    /** Builds every test agent once per JVM. */
    public static synchronized void build(ContainerRuntime runtime) {
        if (built) {
            return;
        }
        ScriptAgentImages.buildBase(runtime, BASE);
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
        agent(runtime, NAP, """
                echo "napping"
                sleep 5
                echo "{\\"napped\\": true}"
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
        agent(runtime, CHATTY, """
                yes "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123" \
                    | head -n 20000
                echo "{\\"done\\": $INPUT}"
                """);
        agent(runtime, NUL_OUTPUT, """
                printf 'before\\000after\\n'
                printf 'warn\\000ing\\n' >&2
                echo '{"text": "a\\u0000b", "k\\u0000y": 1}'
                """);
        agent(runtime, INPUT_SIZES, """
                read -r line
                echo "{\\"stdinBytes\\": ${#line}, \\"envBytes\\": ${#INPUT}, \\"inputOnStdin\\": \\"$INPUT_ON_STDIN\\"}"
                """);
        agent(runtime, VOLUME_WRITER, "RUN mkdir /data && chown 65534:65534 /data\nVOLUME /data\n", """
                fs=$(grep ' /data ' /proc/mounts | cut -d' ' -f3)
                if dd if=/dev/zero of=/data/fill bs=1048576 count=100 2>/dev/null; then wrote=true; else wrote=false; fi
                echo "{\\"dataFs\\": \\"$fs\\", \\"wrote100MiB\\": $wrote}"
                """);
        built = true;
    }

    /** The docker CLI's answer, for what the runtime port does not show (mounts, the image a container has). */
    public static String docker(String... args) {
        try {
            Process process = new ProcessBuilder(Stream.concat(Stream.of("docker"), Arrays.stream(args)).toList())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new AssertionError("docker " + String.join(" ", args) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void agent(ContainerRuntime runtime, String tag, String script) {
        agent(runtime, tag, "", script);
    }

    /** {@code instructions}: Dockerfile lines between FROM and the agent's script. */
    private static void agent(ContainerRuntime runtime, String tag, String instructions, String script) {
        ScriptAgentImages.buildScriptAgent(runtime, BASE, tag, instructions, script);
    }
}
