package io.agentnexus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines reassembled from chunks of output (Docker's frames, a pod log's bytes), with the line cap, in isolation. */
class LineSplitterTest {

    /** What the splitter handed on: "OUT text", "ERR text", "CUT OUT prefix", "closed". */
    private static final class Recorder implements ContainerRuntime.LogSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void line(ContainerRuntime.Stream stream, String text, Instant at) {
            events.add((stream == ContainerRuntime.Stream.STDOUT ? "OUT" : "ERR") + " " + text);
        }

        @Override
        public void cutLine(ContainerRuntime.Stream stream, String prefix, Instant at) {
            events.add("CUT " + (stream == ContainerRuntime.Stream.STDOUT ? "OUT" : "ERR") + " " + prefix);
        }

        @Override
        public void closed() {
            events.add("closed");
        }
    }

    private static Frame out(String text) {
        return new Frame(StreamType.STDOUT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Docker's frames, as the Docker runtime hands them on. */
    private static DockerContainerRuntime.Frames frames(ContainerRuntime.LogSink sink, int maxLineBytes) {
        return new DockerContainerRuntime.Frames(new LineSplitter(sink, Clock.systemUTC(), maxLineBytes));
    }

    @Test
    void linesSplitAndJoinedAcrossFramesComeOutWholeAndInOrderPerStream() {
        Recorder sink = new Recorder();
        var splitter = frames(sink, 100);
        splitter.onNext(out("hel"));
        splitter.onNext(new Frame(StreamType.STDERR, "oops\n".getBytes(StandardCharsets.UTF_8)));
        splitter.onNext(out("lo\nwor"));
        splitter.onNext(out("ld\n{\"r\": 1}"));
        splitter.onComplete();
        assertEquals(List.of("ERR oops", "OUT hello", "OUT world", "OUT {\"r\": 1}", "closed"), sink.events);
    }

    @Test
    void aLineLongerThanTheCapIsCutAndMarkedAndTheNextLineIsWhole() {
        Recorder sink = new Recorder();
        var splitter = frames(sink, 10);
        splitter.onNext(out("0123456"));
        splitter.onNext(out("789abcdef"));
        splitter.onNext(out("ghij\nnext\n"));
        splitter.onNext(out("0123456789")); // exactly the cap: whole
        splitter.onNext(out("\n0123456789A")); // one byte more, unfinished at the end: cut
        splitter.onComplete();
        assertEquals(List.of("CUT OUT 0123456789", "OUT next", "OUT 0123456789", "CUT OUT 0123456789", "closed"),
                sink.events);
    }

    @Test
    void twoGibibytesWithoutANewlineAreNeverHeldInTheHeap() {
        Recorder sink = new Recorder();
        var splitter = frames(sink, 1 << 20);
        byte[] mebibyte = new byte[1 << 20];
        Arrays.fill(mebibyte, (byte) 'a');
        Frame frame = new Frame(StreamType.STDOUT, mebibyte);
        // More than any Java array can hold: a splitter that kept the line whole would fail here.
        for (int i = 0; i < 2049; i++) {
            splitter.onNext(frame);
        }
        splitter.onNext(out("\n{\"result\": true}\n"));
        splitter.onComplete();
        assertEquals(3, sink.events.size(), "one cut line, the result, closed");
        assertTrue(sink.events.getFirst().startsWith("CUT OUT aaaa"));
        assertEquals("CUT OUT ".length() + (1 << 20), sink.events.getFirst().length());
        assertEquals("OUT {\"result\": true}", sink.events.get(1));
    }

    @Test
    void theDefaultSinkKeepsThePrefixWithAVisibleMarker() {
        List<String> lines = new ArrayList<>();
        var splitter = frames((stream, text, at) -> lines.add(text), 4);
        splitter.onNext(out("abcdefgh\n"));
        splitter.onComplete();
        assertEquals(List.of("abcd" + ContainerRuntime.CUT_MARKER), lines);
    }

    @Test
    void bytesOfAPodLogAreCutTheSameWayAndTheEndIsReportedOnce() {
        Recorder sink = new Recorder();
        LineSplitter splitter = new LineSplitter(sink, Clock.systemUTC(), 4);
        byte[] log = "xxab\ncdefgh\nij".getBytes(StandardCharsets.UTF_8);
        splitter.accept(ContainerRuntime.Stream.STDOUT, log, 2, 5); // "ab\ncd"
        splitter.accept(ContainerRuntime.Stream.STDOUT, log, 7, log.length - 7);
        splitter.end();
        splitter.end();
        assertEquals(List.of("OUT ab", "CUT OUT cdef", "OUT ij", "closed"), sink.events);
    }
}
