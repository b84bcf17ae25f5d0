package io.agentnexus.execution;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL LISTEN on one dedicated connection per instance with workers (not from the pool: it is held for
 * good). The V12 triggers NOTIFY on commit when a run joins the queue (every replica's idle workers wake at
 * once) and when a running run is asked to cancel (its runner stops it at once). The connection is re-opened
 * with back-off when it fails; whatever was notified meanwhile is not lost, only later: on each (re)connection
 * the workers look at the queue and the heartbeat's cancel check runs, and both also run on their own timers.
 */
@ApplicationScoped
class QueueNotifications {

    static final String QUEUED = "agentnexus_executions_queued";
    static final String CANCEL = "agentnexus_executions_cancel";
    private static final Logger LOG = Logger.getLogger(QueueNotifications.class);
    /** How long one receive blocks; an idle connection is checked after each. */
    private static final int RECEIVE_MILLIS = 5_000;
    private static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

    private final ExecutionWorkers workers;
    private final CancelSignals cancels;
    private final ExecutionHeartbeat heartbeat;
    private final MeterRegistry metrics;
    private final boolean enabled;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;
    private volatile int backendPid;

    QueueNotifications(ExecutionWorkers workers, CancelSignals cancels, ExecutionHeartbeat heartbeat,
            MeterRegistry metrics, ExecutionsConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.workers = workers;
        this.cancels = cancels;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        // API-only replicas run nothing to wake or stop
        this.enabled = config.listen() && config.workers() > 0 && url.isPresent();
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("execution-notifications").daemon().start(this::listen);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        Thread listener = thread;
        if (listener != null) {
            listener.interrupt();
            closeQuietly(connection);
        }
    }

    /** The listening session's backend pid; 0 while it is not connected. */
    int backendPid() {
        return backendPid;
    }

    private void listen() {
        Duration backoff = BACKOFF_MIN;
        while (running) {
            try (Connection listening = connect()) {
                connection = listening;
                PGConnection pg = listening.unwrap(PGConnection.class);
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + QUEUED);
                    statement.execute("LISTEN " + CANCEL);
                }
                backendPid = pg.getBackendPID();
                metrics.counter("agentnexus.executions.notifications.connections").increment();
                backoff = BACKOFF_MIN;
                caughtUp(); // anything notified while nobody listened
                while (running) {
                    PGNotification[] received = pg.getNotifications(RECEIVE_MILLIS);
                    if (received == null || received.length == 0) {
                        if (!listening.isValid(5)) {
                            throw new SQLException("the listening connection no longer answers");
                        }
                        continue;
                    }
                    for (PGNotification notification : received) {
                        dispatch(notification);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                backendPid = 0;
                if (!running) {
                    return;
                }
                LOG.warnf("execution notifications: listening again in %d ms (runs and cancels are found by the"
                        + " safety polls meanwhile): %s", backoff.toMillis(), e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : backoff.multipliedBy(2);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", "agentnexus-notifications");
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = new org.postgresql.Driver().connect(url.orElseThrow(), properties);
        if (opened == null) {
            throw new SQLException("not a PostgreSQL URL: " + url.get());
        }
        opened.setAutoCommit(true); // LISTEN takes effect at once, outside any transaction
        return opened;
    }

    private void caughtUp() {
        workers.wakeAll(ExecutionWorkers.Wake.RECONNECT);
        try {
            heartbeat.checkCancels();
        } catch (RuntimeException e) {
            LOG.debugf("cancel check after (re)connecting: %s", e.getMessage());
        }
    }

    private void dispatch(PGNotification notification) {
        metrics.counter("agentnexus.executions.notifications", "channel", notification.getName()).increment();
        if (QUEUED.equals(notification.getName())) {
            workers.wakeAll(ExecutionWorkers.Wake.NOTIFICATION);
        } else if (CANCEL.equals(notification.getName())) {
            try {
                cancels.cancel(UUID.fromString(notification.getParameter()));
            } catch (IllegalArgumentException e) {
                LOG.warnf("cancel notification without an execution id: %s", notification.getParameter());
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing on the way out
            }
        }
    }
}
