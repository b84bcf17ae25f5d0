package io.agentnexus.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.agentnexus.runtime.ContainerRuntime.LogSink;
import io.agentnexus.runtime.ContainerRuntime.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reassembles lines from the engine's frames, which may split or join lines arbitrarily. A line is held
 * only up to {@code maxLineBytes}: beyond that its bytes are dropped as they come until its newline, and
 * the kept prefix goes to {@link LogSink#cutLine}, so a container writing gigabytes without a newline
 * costs at most that much heap per stream.
 */
final class LineSplitter extends ResultCallback.Adapter<Frame> {

    private final LogSink sink;
    private final Clock clock;
    private final int maxLineBytes;
    private final Map<Stream, Line> partial = new EnumMap<>(Stream.class);

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

    @Override
    public void onNext(Frame frame) {
        Stream stream = frame.getStreamType() == StreamType.STDERR ? Stream.STDERR : Stream.STDOUT;
        Line line = partial.computeIfAbsent(stream, s -> new Line());
        byte[] payload = frame.getPayload();
        int from = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == '\n') {
                keep(line, payload, from, i);
                emit(stream, line);
                from = i + 1;
            }
        }
        keep(line, payload, from, payload.length);
    }

    @Override
    public void onComplete() {
        partial.forEach((stream, line) -> {
            if (line.size > 0 || line.cut) {
                emit(stream, line);
            }
        });
        sink.closed();
        super.onComplete();
    }

    @Override
    public void onError(Throwable throwable) {
        onComplete();
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
