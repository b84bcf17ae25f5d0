package io.agentnexus.execution;

import io.agentnexus.agent.Agent;
import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag "benchmark": surefire leaves it out of every normal run; it asserts nothing):
 * how much of PostgreSQL the bookkeeping of N concurrent runs costs, without containers. N simulated runs on
 * R simulated instances go through the real {@link ExecutionQueue} (the same SQL, the same transactions) and
 * the real {@link LogCollector}: enqueue and claim, started, log lines at a rate per run stored in the
 * collector's batches at a flush interval, a cancel check per run at its interval, one heartbeat per instance
 * for all its runs, finish; a finished run is followed by the next, so N stay in flight. Each design (cancel
 * check interval / flush interval) is swept over N; PostgreSQL's CPU is the utime+stime of its server
 * processes over the steady window. Run it with scripts/benchmark-bookkeeping.sh.
 */
@QuarkusTest
@TestProfile(RunBookkeepingBenchmark.Bookkeeping.class)
@Tag("benchmark")
class RunBookkeepingBenchmark {

    /** No real workers; the other pollers slowed down, so that what PostgreSQL does is the bookkeeping. */
    public static class Bookkeeping implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.executions.workers", "0",
                    "agentnexus.executions.reaper-interval", "1h",
                    "agentnexus.chain.poll-interval", "1h",
                    "agentnexus.purchase.settlement-interval", "1h",
                    "agentnexus.wallet.receipt-poll-interval", "1h",
                    "agentnexus.webhooks.dispatch-interval", "1h",
                    "quarkus.hibernate-orm.statistics", "true",
                    "quarkus.datasource.jdbc.max-size", property("bench.pool", "50"),
                    "quarkus.log.category.\"io.agentnexus\".level", "WARN");
        }
    }

    private static final String LINE = "2026-11-23T20:51:16.123Z INFO worker step %d: fetched 25 quotes, "
            + "scored 25, best spread 0.0042 on pair ETH/USDC";

    @Inject
    ExecutionQueue queue;

    @Inject
    LogSignals signals;

    @Inject
    ExecutionsConfig config;

    @Inject
    EntityManager em;

    @Inject
    SessionFactory sessions;

    @Inject
    DataSource dataSource;

    private UUID userId;
    private UUID agentId;
    private final Path report = Path.of(property("bench.report", "target/benchmark-bookkeeping.md"));

    /**
     * How one design polls: the cancel check and the log flush per run; whether enqueue notifies (the event-driven
     * path: a cancel check of a second or more is only its safety net); and "instance", what the service does: the
     * instance's LogWriter stores all its runs' lines in one transaction per interval, and its heartbeat asks once
     * which of its runs are to be cancelled ({@link Instance}). Without it each run stores its own lines (one
     * transaction per run and interval) and checks its own cancel flag, as the runner did before.
     */
    record Design(String name, Duration cancelCheck, Duration flush, boolean notifyOnEnqueue, boolean perInstance) {
        static Design parse(String spec) {
            // name=cancel/flush[/instance], e.g. per-run=250ms/250ms or service=5s/250ms/instance
            String[] nameRest = spec.split("=");
            String[] parts = nameRest[1].split("/");
            Duration cancel = duration(parts[0]);
            String variant = parts.length > 2 ? parts[2] : "";
            return new Design(nameRest[0], cancel, duration(parts[1]), cancel.compareTo(Duration.ofSeconds(1)) >= 0,
                    variant.equals("instance"));
        }

        String variant() {
            return perInstance ? ", per instance" : "";
        }
    }

    @Test
    void sweep() throws Exception {
        List<Integer> sweep = Arrays.stream(property("bench.n", "100,250,500,1000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<Design> designs = Arrays.stream(property("bench.designs", "per-run=250ms/250ms,service=5s/250ms/instance")
                .split(",")).map(String::trim).map(Design::parse).toList();
        int perInstance = Integer.parseInt(property("bench.runs-per-instance", "50"));
        double linesPerSecond = Double.parseDouble(property("bench.lines-per-second", "10"));
        Duration runLength = duration(property("bench.run-length", "60s"));
        Duration warmup = duration(property("bench.warmup", "10s"));
        Duration window = duration(property("bench.window", "30s"));
        String synchronousCommit = property("bench.synchronous-commit", "on");

        setUp(synchronousCommit);
        Postgres pg = Postgres.find(em);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """
                # Run bookkeeping on PostgreSQL: %s
                PostgreSQL %s, synchronous_commit=%s, data in %s; JVM pool %s connections; %d runs per instance,
                heartbeat every %s, %.0f log lines/s per run, runs of %s (then the next), warm-up %s, window %s.
                Machine: %d cores, %s; load before: %s
                """, Instant.now(), pg.version, synchronousCommit, pg.dataDirectory, property("bench.pool", "50"),
                perInstance, config.heartbeatInterval(), linesPerSecond, runLength, warmup, window,
                Runtime.getRuntime().availableProcessors(), cpuModel(), loadAverage()));

        double idle = idlePgCores(pg, window);
        out.append(String.format(Locale.ROOT, "Idle (no runs; the test application's own pollers): PostgreSQL %.3f"
                + " cores, taken off every point (net)%n%n", idle));

        Map<String, List<Point>> results = new java.util.LinkedHashMap<>();
        for (int n : sweep) {
            for (Design design : designs) {
                Point point = runPoint(pg, design, n, perInstance, linesPerSecond, runLength, warmup, window,
                        idle);
                results.computeIfAbsent(design.name(), k -> new ArrayList<>()).add(point);
                System.out.println("[bench] " + point.row());
            }
        }

        out.append("| design (cancel check / log flush) | N | PG cores (net) | PG ms CPU per run-s | PG in kernel | JVM cores | Redis cores |"
                + " statements/s | transactions/s | p99 ms (cancel / flush / heartbeat / claim) | achieved/offered | errors |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (int i = 0; i < sweep.size(); i++) {
            for (Design design : designs) {
                out.append(results.get(design.name()).get(i).row()).append('\n');
            }
        }
        out.append('\n');
        Map<String, Double> limits = new java.util.LinkedHashMap<>();
        for (Design design : designs) {
            List<Point> points = results.get(design.name());
            double limit = atOneCore(points);
            limits.put(design.name(), limit);
            if (Double.isNaN(limit)) {
                out.append(String.format(Locale.ROOT, "%s: every point saturated, no fit (run it at smaller N)%n",
                        design.name()));
                continue;
            }
            out.append(String.format(Locale.ROOT,
                    "%s (cancel check %s, flush %s): %.3f ms of PostgreSQL CPU per run-second → one core at N ≈ %,.0f%s%n",
                    design.name(), design.cancelCheck(), design.flush(), slope(points) * 1000, limit,
                    points.stream().anyMatch(Point::saturated) ? " (saturated points left out of the fit)" : ""));
        }
        if (designs.size() >= 2) {
            out.append('\n');
            Design base = designs.getFirst();
            for (Design design : designs.subList(1, designs.size())) {
                for (int i = 0; i < sweep.size(); i++) {
                    Point b = results.get(base.name()).get(i);
                    Point t = results.get(design.name()).get(i);
                    out.append(String.format(Locale.ROOT, "N=%d: PG CPU %s %.3f cores vs %s %.3f cores: ×%.1f less%n",
                            sweep.get(i), base.name(), b.pgNet, design.name(), t.pgNet, b.pgNet / Math.max(t.pgNet, 1e-6)));
                }
                out.append(String.format(Locale.ROOT, "N at one core: %s %,.0f vs %s %,.0f%n", base.name(),
                        limits.get(base.name()), design.name(), limits.get(design.name())));
            }
        }
        out.append(String.format(Locale.ROOT, "Load after: %s%n", loadAverage()));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out);
        System.out.println(out);
    }

    // ---- one point of the sweep ----

    record Point(Design design, int n, double pgNet, double pgSystemShare, double jvm, double redis, double statements, double transactions,
            Map<Op, Double> p99, double achieved, long errors) {
        boolean saturated() {
            return achieved < 0.95;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s (%s / %s%s) | %d | %.3f | %.3f | %.0f %% | %.2f | %.2f | %,.0f | %,.0f | %.1f / %.1f / %.1f / %.1f | %.2f%s | %d |",
                    design.name(), human(design.cancelCheck()), human(design.flush()),
                    design.variant(), n, pgNet, pgNet / n * 1000, pgSystemShare * 100, jvm,
                    redis, statements, transactions, p99.get(Op.CANCEL_CHECK), p99.get(Op.FLUSH), p99.get(Op.HEARTBEAT),
                    p99.get(Op.CLAIM), achieved, saturated() ? " saturated" : "", errors);
        }
    }

    enum Op { CLAIM, FLUSH, CANCEL_CHECK, HEARTBEAT, FINISH }

    /** What happened in one window: counts, errors and latencies per operation. */
    static final class Stats {
        final Map<Op, LongAdder> counts = new java.util.EnumMap<>(Op.class);
        final Map<Op, Latencies> latencies = new java.util.EnumMap<>(Op.class);
        final LongAdder errors = new LongAdder();
        final LongAdder offeredTicks = new LongAdder();
        final LongAdder lateTicks = new LongAdder();

        Stats() {
            for (Op op : Op.values()) {
                counts.put(op, new LongAdder());
                latencies.put(op, new Latencies());
            }
        }
    }

    private volatile Stats stats = new Stats();

    private <T> T timed(Op op, Supplier<T> call) {
        Stats current = stats;
        long start = System.nanoTime();
        try {
            T result = call.get();
            current.latencies.get(op).record(System.nanoTime() - start);
            current.counts.get(op).increment();
            return result;
        } catch (RuntimeException e) {
            current.errors.increment();
            if (current.errors.sum() <= 5) {
                System.out.println("[bench] " + op + ": " + e);
            }
            return null;
        }
    }

    private Point runPoint(Postgres pg, Design design, int n, int perInstance, double linesPerSecond, Duration runLength,
            Duration warmup, Duration window, double idlePgCores) throws Exception {
        clean();
        int count = Math.max(1, (n + perInstance - 1) / perInstance);
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(new Instance("bench-instance-" + i));
        }
        AtomicBoolean going = new AtomicBoolean(true);
        stats = new Stats();
        List<Thread> threads = new ArrayList<>();
        Duration beat = config.heartbeatInterval();
        for (Instance instance : instances) {
            threads.add(Thread.ofVirtual().start(() -> heartbeats(instance.inFlight, beat, going)));
            if (design.perInstance()) {
                instance.writer = new LogWriter(queue, design.flush());
                threads.add(Thread.ofVirtual().start(() -> instance.cancelChecks(design.cancelCheck(), going)));
            }
        }
        long startedAt = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Instance instance = instances.get(i % count);
            // spread over the first second, the first run of each cut short at random: the ends do not come together
            long delay = ThreadLocalRandom.current().nextLong(1_000_000_000L);
            threads.add(Thread.ofVirtual().start(() -> runs(instance, design, linesPerSecond, runLength, delay,
                    going)));
        }
        sleepUntil(startedAt + warmup.toNanos());
        stats = new Stats();
        Measure before = measure(pg);
        sleepUntil(System.nanoTime() + window.toNanos());
        Measure after = measure(pg);
        Stats done = stats;
        stats = new Stats();
        going.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(2));
        }
        instances.stream().filter(instance -> instance.writer != null).forEach(instance -> instance.writer.close());
        double seconds = (after.nanos - before.nanos) / 1e9;
        Map<Op, Double> p99 = new java.util.EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            p99.put(op, done.latencies.get(op).quantileMillis(0.99));
        }
        long offered = done.offeredTicks.sum();
        double achieved = offered == 0 ? 1 : 1 - (double) done.lateTicks.sum() / offered;
        return new Point(design, n, (after.pgTicks - before.pgTicks) / (double) pg.clockTicks / seconds - idlePgCores,
                (after.pgSystemTicks - before.pgSystemTicks) / (double) Math.max(1, after.pgTicks - before.pgTicks),
                (after.jvmTicks - before.jvmTicks) / (double) pg.clockTicks / seconds,
                (after.redisTicks - before.redisTicks) / (double) pg.clockTicks / seconds,
                (after.statements - before.statements) / seconds, (after.transactions - before.transactions) / seconds,
                p99, achieved, done.errors.sum());
    }

    /** PostgreSQL's cores with no runs at all: the test application's own pollers, taken off every point. */
    private double idlePgCores(Postgres pg, Duration window) {
        clean();
        Measure before = measure(pg);
        sleepUntil(System.nanoTime() + window.toNanos());
        Measure after = measure(pg);
        return (after.pgTicks() - before.pgTicks()) / (double) pg.clockTicks() / ((after.nanos() - before.nanos()) / 1e9);
    }

    /** One instance's heartbeat: one call for all its runs, as ExecutionHeartbeat makes it. */
    private void heartbeats(Set<ExecutionQueue.Attempt> runs, Duration every, AtomicBoolean going) {
        long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(every.toNanos());
        while (going.get()) {
            sleepUntil(next);
            List<ExecutionQueue.Attempt> now = List.copyOf(runs);
            if (!now.isEmpty()) {
                timed(Op.HEARTBEAT, () -> {
                    queue.heartbeat(now);
                    return null;
                });
            }
            next += every.toNanos();
        }
    }

    /** One slot of an instance: a run, then the next, as long as the point goes on. */
    private void runs(Instance instance, Design design, double linesPerSecond, Duration runLength, long delayNanos,
            AtomicBoolean going) {
        sleepUntil(System.nanoTime() + delayNanos);
        long length = ThreadLocalRandom.current().nextLong(runLength.toNanos());
        while (going.get()) {
            run(instance, design, linesPerSecond, length, going);
            length = runLength.toNanos();
        }
    }

    /**
     * One run as ExecutionWorkers and ExecutionRunner make it: queued, claimed, job, started; then, while it lasts,
     * its lines into the collector, a flush at the flush interval and a cancel check at its interval; then
     * the last flush and finish. Lines due since the last wake-up are added at once with their own times (the
     * collector stores nothing between flushes, so what reaches PostgreSQL is the same).
     */
    private void run(Instance instance, Design design, double linesPerSecond, long lengthNanos, AtomicBoolean going) {
        Optional<UUID> claimed = timed(Op.CLAIM, () -> {
            enqueue(design.notifyOnEnqueue());
            Optional<UUID> id = queue.claim(instance.name);
            id.ifPresent(execution -> {
                ExecutionQueue.Job job = queue.job(execution);
                queue.started(new ExecutionQueue.Attempt(execution, job.attempt()), "bench-" + execution,
                        "sha256:0000000000000000000000000000000000000000000000000000000000000000");
            });
            return id;
        });
        if (claimed == null || claimed.isEmpty()) {
            sleepUntil(System.nanoTime() + 10_000_000L); // another slot took the row this one queued
            return;
        }
        UUID id = claimed.get();
        ExecutionQueue.Attempt attempt = new ExecutionQueue.Attempt(id, 1);
        instance.inFlight.add(attempt);
        LogCollector logs = new LogCollector(id, queue, config.logCap(), 0, () -> signals.stored(id),
                design.perInstance() ? instance.writer : null);
        long start = System.nanoTime();
        long end = start + lengthNanos;
        long lineEvery = (long) (1e9 / linesPerSecond);
        long flushEvery = design.flush().toNanos();
        long cancelEvery = design.cancelCheck().toNanos();
        long nextLine = start;
        long nextFlush = start + ThreadLocalRandom.current().nextLong(flushEvery);
        long nextCancel = start + ThreadLocalRandom.current().nextLong(cancelEvery);
        int line = 0;
        Instant epoch = Instant.now();
        while (going.get()) {
            long wake = Math.min(Math.min(nextFlush, nextCancel), end);
            sleepUntil(wake);
            long now = System.nanoTime();
            for (; nextLine <= now && nextLine < end; nextLine += lineEvery) {
                logs.line(ContainerRuntime.Stream.STDOUT, LINE.formatted(line++),
                        epoch.plusNanos(nextLine - start));
            }
            if (now >= end) {
                break;
            }
            if (design.perInstance()) { // lines reach the collector as they come; the instance's writer stores them
                nextFlush = Math.max(nextFlush + flushEvery, System.nanoTime());
                nextCancel = end;
                continue;
            }
            if (now >= nextFlush) {
                tick(now, nextFlush, flushEvery);
                timed(Op.FLUSH, () -> {
                    logs.flush();
                    return null;
                });
                nextFlush = Math.max(nextFlush + flushEvery, System.nanoTime()); // behind: the next one, not a burst
            }
            if (now >= nextCancel) {
                tick(now, nextCancel, cancelEvery);
                timed(Op.CANCEL_CHECK, () -> queue.cancelsRequested(List.of(id)));
                nextCancel = Math.max(nextCancel + cancelEvery, System.nanoTime());
            }
        }
        int printed = line;
        timed(Op.FINISH, () -> {
            // the last lines (after the writer's batch, if it holds one: in order) with the end, in one transaction
            queue.finish(attempt, ExecutionStatus.SUCCEEDED, 0, false, Map.of("lines", printed), null, logs.seal());
            signals.stored(id);
            return null;
        });
        instance.inFlight.remove(attempt);
    }

    /**
     * One simulated service instance: its runs in flight (for its heartbeat) and, in the "instance" design, the
     * service's own LogWriter for their lines and one cancel check for all of them (as its heartbeat does).
     */
    final class Instance {
        final String name;
        final Set<ExecutionQueue.Attempt> inFlight = ConcurrentHashMap.newKeySet();
        LogWriter writer;

        Instance(String name) {
            this.name = name;
        }

        void cancelChecks(Duration every, AtomicBoolean going) {
            long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(every.toNanos());
            while (going.get()) {
                sleepUntil(next);
                tick(System.nanoTime(), next, every.toNanos());
                List<UUID> ids = inFlight.stream().map(ExecutionQueue.Attempt::id).toList();
                if (!ids.isEmpty()) {
                    timed(Op.CANCEL_CHECK, () -> queue.cancelsRequested(ids));
                }
                next = Math.max(next + every.toNanos(), System.nanoTime());
            }
        }
    }

    /** A tick more than one interval late means the database (or the client) does not keep up. */
    private void tick(long now, long due, long every) {
        Stats current = stats;
        current.offeredTicks.increment();
        if (now - due > every) {
            current.lateTicks.increment();
        }
    }

    /** As ExecutionService.submit queues a run (and, in the event-driven design, wakes idle workers). */
    private void enqueue(boolean notify) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution e = new Execution();
            e.user = em.getReference(User.class, userId);
            e.agent = em.getReference(Agent.class, agentId);
            e.status = ExecutionStatus.QUEUED;
            e.input = Map.of("symbol", "ETH/USDC");
            e.createdAt = Instant.now();
            e.persist();
            if (notify) {
                em.flush();
                em.createNativeQuery("SELECT pg_notify('agentnexus_execution_queued', '')").getSingleResult();
            }
        });
    }

    // ---- set-up and measurement ----

    private void setUp(String synchronousCommit) {
        userId = UUID.randomUUID();
        agentId = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO users (id, wallet_address, created_at, updated_at)"
                    + " VALUES (?1, ?2, now(), now())").setParameter(1, userId)
                    .setParameter(2, "0x" + userId.toString().replace("-", "") + "00000000").executeUpdate();
            em.createNativeQuery("""
                    INSERT INTO agents (id, name, description, category, status, price, price_token, version,
                                        docker_image, input_schema, output_schema, creator_id, created_at, updated_at)
                    VALUES (?1, 'Bookkeeping benchmark', 'Simulated runs', 'UTILITY', 'ACTIVE', 0,
                            '0x0000000000000000000000000000000000000000', '1', 'bench/none:1', '{}', '{}', ?2,
                            now(), now())""").setParameter(1, agentId).setParameter(2, userId).executeUpdate();
        });
        // a throw-away server: made as durable as production's default, whatever the embedded one's defaults
        autocommit("ALTER SYSTEM SET synchronous_commit = '" + synchronousCommit.replace("'", "") + "'");
        autocommit("SELECT pg_reload_conf()");
    }

    /** Statements PostgreSQL refuses inside a transaction block. */
    private void autocommit(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Each point starts from empty tables, after a checkpoint: no point pays for the previous one's rows. */
    private void clean() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("TRUNCATE executions CASCADE").executeUpdate());
        autocommit("CHECKPOINT");
    }

    /** Where PostgreSQL is: its postmaster (whose descendants are all its server processes). */
    record Postgres(long postmaster, String dataDirectory, String version, long clockTicks) {
        static Postgres find(EntityManager em) {
            String[] found = QuarkusTransaction.requiringNew().call(() -> new String[] {
                (String) em.createNativeQuery("SHOW data_directory").getSingleResult(),
                (String) em.createNativeQuery("SHOW server_version").getSingleResult() });
            try {
                long pid = Long.parseLong(Files.readAllLines(Path.of(found[0], "postmaster.pid")).getFirst().trim());
                return new Postgres(pid, found[0], found[1], kernelClockTicks());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A snapshot: CPU clock ticks of PostgreSQL, this JVM and Redis; statements and transactions so far. */
    record Measure(long nanos, long pgTicks, long pgSystemTicks, long jvmTicks, long redisTicks, long statements, long transactions) {
    }

    private Measure measure(Postgres pg) {
        // every server process is the postmaster's child; those that ended are in its children's times
        long[] postmaster = userAndSystemTicks(pg.postmaster(), true);
        long pgTicks = postmaster[0] + postmaster[1];
        long pgSystemTicks = postmaster[1];
        for (ProcessHandle child : ProcessHandle.of(pg.postmaster()).orElseThrow().descendants().toList()) {
            long[] split = userAndSystemTicks(child.pid(), false);
            pgTicks += split[0] + split[1];
            pgSystemTicks += split[1];
        }
        long redis = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").contains("redis"))
                .mapToLong(p -> ticks(p.pid(), false)).sum();
        return new Measure(System.nanoTime(), pgTicks, pgSystemTicks, ticks(ProcessHandle.current().pid(), false), redis,
                sessions.getStatistics().getPrepareStatementCount(), sessions.getStatistics().getTransactionCount());
    }

    /** utime+stime (and, with {@code children}, cutime+cstime) from /proc/<pid>/stat; 0 if it has ended. */
    static long ticks(long pid, boolean children) {
        long[] split = userAndSystemTicks(pid, children);
        return split[0] + split[1];
    }

    /** {user, system} clock ticks of a process. */
    static long[] userAndSystemTicks(long pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
            long user = Long.parseLong(fields[11]) + (children ? Long.parseLong(fields[13]) : 0);
            long system = Long.parseLong(fields[12]) + (children ? Long.parseLong(fields[14]) : 0);
            return new long[] {user, system};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static long kernelClockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(getconf.getInputStream().readAllBytes()).trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    /** Latencies in ~5 % buckets from 1 µs, lock-free. */
    static final class Latencies {
        private static final double STEP = Math.log(1.05);
        private final LongAdder[] buckets = new LongAdder[600];

        Latencies() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            int bucket = nanos <= 1000 ? 0 : (int) (Math.log(nanos / 1000.0) / STEP);
            buckets[Math.min(bucket, buckets.length - 1)].increment();
        }

        double quantileMillis(double q) {
            long total = Arrays.stream(buckets).mapToLong(LongAdder::sum).sum();
            if (total == 0) {
                return Double.NaN;
            }
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i].sum();
                if (seen >= Math.ceil(q * total)) {
                    return Math.exp((i + 1) * STEP) / 1000.0; // the bucket's upper bound, µs → ms
                }
            }
            return Double.NaN;
        }
    }

    /** PostgreSQL cores per run, fitted through the origin over the points that kept up. */
    static double slope(List<Point> points) {
        double xy = 0;
        double xx = 0;
        for (Point p : points) {
            if (!p.saturated()) {
                xy += p.n() * p.pgNet();
                xx += (double) p.n() * p.n();
            }
        }
        return xx == 0 ? Double.NaN : xy / xx;
    }

    static double atOneCore(List<Point> points) {
        return 1 / slope(points);
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String property(String name, String otherwise) {
        return System.getProperty(name, otherwise);
    }

    private static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        return Duration.parse(text);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
