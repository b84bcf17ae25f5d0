/*
 * A fixed-rate (open model) HTTP load generator, for the benchmarks: Debian has no wrk2.
 *
 *   java scripts/load/FixedRate.java RATE SECONDS TARGET...
 *
 * TARGET is `label=URL` or `label=URL|Header: value|Header: value` (plain http, GET). Requests go out at
 * fixed intervals (RATE per second, round robin over the targets: repeat a target to weigh it) whatever
 * the server does; each one's latency runs from the moment it was due, not from when it was sent, so a
 * stalled server is charged for the requests it held up (no coordinated omission). CONNECTIONS (16)
 * keep-alive connections share the schedule, as in wrk2; all targets are on one host and port.
 * WARMUP=seconds runs the same load first and forgets it. Prints per label and overall: count, errors, p50,
 * p95, p99, max (ms).
 */
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

public class FixedRate {

    record Target(String label, String host, int port, byte[] request) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java FixedRate.java RATE SECONDS label=URL[|Header: value]...");
            System.exit(2);
        }
        double rate = Double.parseDouble(args[0]);
        double seconds = Double.parseDouble(args[1]);
        List<Target> targets = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            targets.add(parse(args[i]));
        }
        if (targets.stream().map(t -> t.host() + ":" + t.port()).distinct().count() > 1) {
            System.err.println("every target must be on the same host and port (the connections serve them all)");
            System.exit(2);
        }
        double warmup = Double.parseDouble(System.getenv().getOrDefault("WARMUP", "0"));
        if (warmup > 0) {
            run(targets, rate, warmup);
        }
        Result result = run(targets, rate, seconds);
        result.print(targets, rate, seconds);
    }

    static Target parse(String spec) {
        int eq = spec.indexOf('=');
        String label = spec.substring(0, eq);
        String[] parts = spec.substring(eq + 1).split("\\|");
        URI uri = URI.create(parts[0]);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(uri.getHost()).append(':').append(port).append("\r\nAccept: application/json\r\n");
        for (int i = 1; i < parts.length; i++) {
            request.append(parts[i].strip()).append("\r\n");
        }
        request.append("\r\n");
        return new Target(label, uri.getHost(), port, request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Each request's latency (request i went to target i % targets) and the errors per target. */
    static final class Result {
        final long[] latencies;
        final int[] errorsByTarget;
        String lastError;

        Result(int n, int targets) {
            latencies = new long[n];
            errorsByTarget = new int[targets];
        }

        void failed(int request, String why) {
            errorsByTarget[request % errorsByTarget.length]++;
            lastError = why;
        }

        int errors() {
            return Arrays.stream(errorsByTarget).sum();
        }

        void print(List<Target> targets, double rate, double seconds) {
            System.out.printf(Locale.ROOT, "rate %.0f/s for %.0f s, %d requests, %d errors%s%n", rate, seconds,
                    latencies.length, errors(), lastError == null ? "" : " (last: " + lastError + ")");
            List<String> names = targets.stream().map(Target::label).distinct().toList();
            System.out.printf(Locale.ROOT, "%-22s %8s %7s %9s %9s %9s %9s%n", "target", "count", "errors",
                    "p50 ms", "p95 ms", "p99 ms", "max ms");
            for (String name : names) {
                List<Long> mine = new ArrayList<>();
                int errs = 0;
                for (int i = 0; i < latencies.length; i++) {
                    if (targets.get(i % targets.size()).label().equals(name)) {
                        mine.add(latencies[i]);
                    }
                }
                for (int t = 0; t < targets.size(); t++) {
                    if (targets.get(t).label().equals(name)) {
                        errs += errorsByTarget[t];
                    }
                }
                line(name, mine.stream().mapToLong(Long::longValue).toArray(), errs);
            }
            if (names.size() > 1) {
                line("all", latencies.clone(), errors());
            }
        }

        static void line(String name, long[] values, int errs) {
            Arrays.sort(values);
            System.out.printf(Locale.ROOT, "%-22s %8d %7d %9.2f %9.2f %9.2f %9.2f%n", name, values.length, errs,
                    at(values, 0.50), at(values, 0.95), at(values, 0.99),
                    values.length == 0 ? 0 : values[values.length - 1] / 1e6);
        }

        static double at(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    // Like wrk2: CONNECTIONS keep-alive connections share the schedule (request i goes on connection i % C); a
    // connection still busy with an earlier request sends the next one late, and that lateness counts.
    // One thread and non-blocking sockets: the generator shares the machine with the service it measures, and a
    // thread per connection (a blocking read and a timed park per request) cost it 0.8 of a core at 20k req/s,
    // each response's wake-up pre-empting the service. Here the thread sleeps until the next request is due (or,
    // when that is far off, until a response arrives) and then sends and reads whatever is ready.
    static Result run(List<Target> targets, double rate, double seconds) throws IOException {
        int n = (int) Math.round(rate * seconds);
        int connections = Math.min(n, Integer.parseInt(System.getenv().getOrDefault("CONNECTIONS", "16")));
        try (Selector selector = Selector.open()) {
            List<Connection> all = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                all.add(new Connection(c, connections));
            }
            connectAll(all, targets.get(0), selector);
            Schedule run = new Schedule(targets, new Result(n, targets.size()), System.nanoTime() + 10_000_000,
                    Math.round(1e9 / rate), selector);
            int done = 0;
            while (done < n) {
                long now = System.nanoTime();
                long wakeAt = Long.MAX_VALUE; // the next request due, or the next one to time out
                for (Connection connection : all) {
                    if (connection.current >= 0) {
                        long deadline = connection.sentAt + TIMEOUT_NANOS;
                        if (deadline <= now) {
                            done += connection.fail(run, now, "timed out");
                        } else {
                            wakeAt = Math.min(wakeAt, deadline);
                        }
                    } else if (connection.next < n) {
                        long due = run.due(connection.next);
                        if (due <= now) {
                            done += connection.send(run, now);
                        } else {
                            wakeAt = Math.min(wakeAt, due);
                        }
                    }
                }
                long wait = wakeAt == Long.MAX_VALUE ? 0 : wakeAt - System.nanoTime();
                if (wait >= 2_000_000) {
                    selector.select(wait / 1_000_000); // a response wakes it early
                } else if (selector.selectNow() == 0 && wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 100_000)); // select's timeout is in milliseconds
                    selector.selectNow();
                }
                now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    done += key.isValid() ? ((Connection) key.attachment()).receive(key, run, now) : 0;
                }
                selector.selectedKeys().clear();
            }
            for (Connection connection : all) {
                connection.drop();
            }
            return run.result();
        }
    }

    /** One run's schedule (request i is due at start + i * interval) and where its outcomes go. */
    record Schedule(List<Target> targets, Result result, long start, long interval, Selector selector) {

        long due(int request) {
            return start + request * interval;
        }

        Target target(int request) {
            return targets.get(request % targets.size());
        }
    }

    /** Connects every connection before the clock starts (up to 5 s); one that fails is tried again when used. */
    static void connectAll(List<Connection> all, Target target, Selector selector) throws IOException {
        for (Connection connection : all) {
            try {
                connection.open(target, selector);
            } catch (IOException e) {
                connection.drop();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (all.stream().anyMatch(c -> c.channel != null && !c.connected) && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Connection connection = (Connection) key.attachment();
                try {
                    connection.connected(key);
                } catch (IOException e) {
                    connection.drop();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    static final long TIMEOUT_NANOS = 30_000_000_000L;

    /** One keep-alive connection: its place in the schedule, the request on it, and the response read so far. */
    static final class Connection {
        final int stride;
        int next;
        /** The request on the wire (its index), or -1. */
        int current = -1;
        long sentAt;
        boolean reused;
        SocketChannel channel;
        boolean connected;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);

        Connection(int first, int stride) {
            this.next = first;
            this.stride = stride;
        }

        /** Starts connecting; the request waits for the connection (non-blocking: a slow connect holds up no other). */
        void open(Target target, Selector selector) throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connected = channel.connect(new InetSocketAddress(target.host(), target.port()));
            channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            reused = false;
            in.clear();
        }

        void connected(SelectionKey key) throws IOException {
            channel.finishConnect();
            connected = true;
            key.interestOps(SelectionKey.OP_READ);
        }

        /** Sends request {@code next}; returns how many requests ended (1 if it failed at once). */
        int send(Schedule run, long now) {
            current = next;
            next += stride;
            sentAt = now;
            Target target = run.target(current);
            try {
                if (channel == null) {
                    open(target, run.selector());
                }
                if (connected) {
                    write(target);
                }
                return 0;
            } catch (IOException e) {
                return retryOrFail(run, now, e.toString());
            }
        }

        private void write(Target target) throws IOException {
            ByteBuffer request = ByteBuffer.wrap(target.request());
            while (request.hasRemaining()) {
                channel.write(request); // a request is far smaller than the socket's buffer
            }
        }

        /** Handles what the selector reported: the connection made, or bytes; returns 1 if a response completed. */
        int receive(SelectionKey key, Schedule run, long now) {
            try {
                if (key.isConnectable()) {
                    connected(key);
                    if (current >= 0) {
                        write(run.target(current));
                    }
                    return 0;
                }
                if (in.remaining() == 0) {
                    in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                }
                if (channel.read(in) < 0) {
                    throw new IOException("connection closed");
                }
                if (current < 0) {
                    throw new IOException("bytes with no request outstanding");
                }
                int status = complete(in);
                if (status < 0) {
                    return 0;
                }
                if (status < 200 || status >= 300) {
                    run.result().failed(current, "HTTP " + status + " from " + run.target(current).label());
                }
                record(run, now);
                in.clear();
                reused = true;
                return 1;
            } catch (IOException e) {
                return current < 0 ? drop() : retryOrFail(run, now, e.toString());
            }
        }

        /** The server closed an idle connection: send once more on a fresh one; otherwise count the failure. */
        int retryOrFail(Schedule run, long now, String why) {
            boolean retry = reused && in.position() == 0;
            drop();
            if (retry) {
                next = current;
                current = -1;
                return send(run, now);
            }
            return fail(run, now, why);
        }

        int fail(Schedule run, long now, String why) {
            drop();
            run.result().failed(current, why);
            record(run, now);
            return 1;
        }

        private void record(Schedule run, long now) {
            run.result().latencies[current] = now - run.due(current);
            current = -1;
        }

        int drop() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
            connected = false;
            in.clear();
            return 0;
        }
    }

    /** The status once {@code in} holds a whole response (content-length or chunked), else -1. */
    static int complete(ByteBuffer in) throws IOException {
        byte[] bytes = in.array();
        int length = in.position();
        int headersEnd = indexOf(bytes, 0, length, CRLF_CRLF);
        if (headersEnd < 0) {
            return -1;
        }
        String[] lines = new String(bytes, 0, headersEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        long contentLength = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        int body = headersEnd + CRLF_CRLF.length;
        if (!chunked) {
            return length - body >= contentLength ? status : -1;
        }
        int at = body;
        while (true) { // size CRLF data CRLF ... 0 CRLF (trailers) CRLF
            int sizeEnd = indexOf(bytes, at, length, CRLF);
            if (sizeEnd < 0) {
                return -1;
            }
            long size = Long.parseLong(new String(bytes, at, sizeEnd - at, StandardCharsets.ISO_8859_1)
                    .split(";")[0].trim(), 16);
            at = sizeEnd + CRLF.length;
            if (size == 0) {
                while (true) {
                    int lineEnd = indexOf(bytes, at, length, CRLF);
                    if (lineEnd < 0) {
                        return -1;
                    }
                    if (lineEnd == at) {
                        return status;
                    }
                    at = lineEnd + CRLF.length; // a trailer
                }
            }
            at += (int) size + CRLF.length;
            if (at > length) {
                return -1;
            }
        }
    }

    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

    static int indexOf(byte[] bytes, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
