/*
 * A fixed-rate (open model) HTTP load generator, for the benchmarks: Debian has no wrk2.
 *
 *   java scripts/load/FixedRate.java RATE SECONDS TARGET...
 *
 * TARGET is `label=URL` or `label=URL|Header: value|Header: value` (plain http, GET). Requests go out at
 * fixed intervals (RATE per second, round robin over the targets: repeat a target to weigh it) whatever
 * the server does; each one's latency runs from the moment it was due, not from when it was sent, so a
 * stalled server is charged for the requests it held up (no coordinated omission). CONNECTIONS (16)
 * keep-alive connections share the schedule, as in wrk2. WARMUP=seconds runs the same load first and
 * forgets it. Prints per label and overall: count, errors, p50, p95, p99, max (ms).
 */
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

public class FixedRate {

    record Target(String label, String host, int port, byte[] request) {
    }

    static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }
    }

    static final ConcurrentLinkedDeque<Connection> POOL = new ConcurrentLinkedDeque<>();

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

    static final class Result {
        final long[] latencies;
        final int[] labels;
        final AtomicInteger errors = new AtomicInteger();
        final int[] errorsByTarget;
        volatile String lastError;

        Result(int n, int targets) {
            latencies = new long[n];
            labels = new int[n];
            errorsByTarget = new int[targets];
        }

        void print(List<Target> targets, double rate, double seconds) {
            System.out.printf(Locale.ROOT, "rate %.0f/s for %.0f s, %d requests, %d errors%s%n", rate, seconds,
                    latencies.length, errors.get(), lastError == null ? "" : " (last: " + lastError + ")");
            List<String> names = targets.stream().map(Target::label).distinct().toList();
            System.out.printf(Locale.ROOT, "%-22s %8s %7s %9s %9s %9s %9s%n", "target", "count", "errors",
                    "p50 ms", "p95 ms", "p99 ms", "max ms");
            for (String name : names) {
                List<Long> mine = new ArrayList<>();
                int errs = 0;
                for (int i = 0; i < latencies.length; i++) {
                    if (targets.get(labels[i]).label().equals(name)) {
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
                line("all", latencies.clone(), errors.get());
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

    // Like wrk2: CONNECTIONS keep-alive connections share the schedule (request i goes on connection i % C);
    // a connection still busy with an earlier request sends the next one late, and that lateness counts.
    // One platform thread per connection: a virtual thread's timed park and socket wake-ups hop through the
    // scheduler's threads, and at 10k+ requests/s on one CPU those hops are charged to the server.
    static Result run(List<Target> targets, double rate, double seconds) throws InterruptedException {
        int n = (int) Math.round(rate * seconds);
        int connections = Integer.parseInt(System.getenv().getOrDefault("CONNECTIONS", "16"));
        Result result = new Result(n, targets.size());
        long interval = Math.round(1e9 / rate);
        long start = System.nanoTime() + 10_000_000;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = first; i < n; i += connections) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int t = i % targets.size();
                    try {
                        int status = send(targets.get(t));
                        if (status < 200 || status >= 300) {
                            failed(result, t, "HTTP " + status + " from " + targets.get(t).label());
                        }
                    } catch (IOException e) {
                        failed(result, t, e.toString());
                    }
                    result.latencies[i] = System.nanoTime() - due;
                    result.labels[i] = t;
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return result;
    }

    static void failed(Result result, int target, String why) {
        result.errors.incrementAndGet();
        synchronized (result) {
            result.errorsByTarget[target]++;
        }
        result.lastError = why;
    }

    /** One request on a pooled keep-alive connection; the response is read whole. Returns the status. */
    static int send(Target target) throws IOException {
        Connection connection = POOL.pollFirst();
        boolean reused = connection != null;
        if (connection == null) {
            connection = new Connection(target.host(), target.port());
        }
        try {
            connection.out.write(target.request());
            connection.out.flush();
            int status = readResponse(connection.in);
            POOL.offerFirst(connection);
            return status;
        } catch (IOException e) {
            connection.socket.close();
            if (reused) {
                return send(target); // the server closed an idle connection: once more on a fresh one
            }
            throw e;
        }
    }

    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
