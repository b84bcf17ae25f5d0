package io.agentnexus.runtime;

import io.agentnexus.runtime.ContainerRuntime.LogSink;
import io.agentnexus.runtime.ContainerRuntime.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reassembles lines from chunks of output (Docker's frames, the bytes of a Kubernetes pod log), which may
 * split or join lines arbitrarily. A line is held only up to {@code maxLineBytes}: beyond that its bytes are
 * dropped as they come until its newline, and the kept prefix goes to {@link LogSink#cutLine}, so a container
 * writing gigabytes without a newline costs at most that much heap per stream. Both runtimes cut lines here.
 */
final class LineSplitter {

    private final LogSink sink;
    private final Clock clock;
    private final int maxLineBytes;
    private final Map<Stream, Line> partial = new EnumMap<>(Stream.class);
    private boolean ended;

    LineSplitter(LogSink sink, Clock clock, int maxLineBytes) {
        this.sink = sink;
        this.clock = clock;
        this.maxLineBytes = maxLineBytes;
    }

    /** One stream's unfinished line: at most {@code maxLineBytes} kept, and whether more was dropped. */
    private static final class Line {
        byte[] bytes = new byte[256];
        int size;
        boolean cut;
    }

    /** The next {@code length} bytes of {@code stream}'s output. */
    synchronized void accept(Stream stream, byte[] payload, int offset, int length) {
        Line line = partial.computeIfAbsent(stream, s -> new Line());
        int from = offset;
        int to = offset + length;
        for (int i = offset; i < to; i++) {
            if (payload[i] == '\n') {
                keep(line, payload, from, i);
                emit(stream, line);
                from = i + 1;
            }
        }
        keep(line, payload, from, to);
    }

    /** The output ended: unfinished lines go out as they are, then {@link LogSink#closed()}, once. */
    synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        partial.forEach((stream, line) -> {
            if (line.size > 0 || line.cut) {
                emit(stream, line);
            }
        });
        sink.closed();
    }

    private void keep(Line line, byte[] payload, int from, int to) {
        int room = maxLineBytes - line.size;
        int kept = Math.min(to - from, room);
        if (kept < to - from) {
            line.cut = true;
        }
        if (kept <= 0) {
            return;
        }
        if (line.size + kept > line.bytes.length) {
            line.bytes = Arrays.copyOf(line.bytes, Math.min(maxLineBytes, Math.max(line.size + kept,
                    line.bytes.length * 2)));
        }
        System.arraycopy(payload, from, line.bytes, line.size, kept);
        line.size += kept;
    }

    private void emit(Stream stream, Line line) {
        String text = new String(line.bytes, 0, line.size, StandardCharsets.UTF_8);
        if (line.cut) {
            sink.cutLine(stream, text, clock.instant());
        } else {
            sink.line(stream, text, clock.instant());
        }
        line.size = 0;
        line.cut = false;
        if (line.bytes.length > 64 << 10) {
            line.bytes = new byte[256]; // one long line does not pin its buffer for the rest of the run
        }
    }
}
