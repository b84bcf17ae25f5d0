package io.agentnexus.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionEventListener;

/**
 * Times every JDBC statement Hibernate executes (queries, with their rows read, and writes) into the timer
 * {@code agentnexus.db.statements}: its max is the slowest statement of the last minutes, the spec's "every
 * query under 100 ms". Two clock reads and a timer update per statement; Hibernate makes one listener per
 * session (hibernate.session.events.auto). Statements outside Hibernate (Flyway, plain JDBC) are not counted.
 */
@RegisterForReflection // Hibernate instantiates it by name, in the native image too
public class StatementTimer implements SessionEventListener {

    private static volatile Timer timer;

    private long started;

    @Override
    public void jdbcExecuteStatementStart() {
        started = System.nanoTime();
    }

    @Override
    public void jdbcExecuteStatementEnd() {
        Timer current = timer;
        if (started != 0 && current != null) {
            current.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        started = 0;
    }

    /** Hibernate instantiates the listener itself: the registry of the running application reaches it here. */
    @Singleton
    static class Registration {

        void register(@Observes StartupEvent event, MeterRegistry metrics) {
            timer = Timer.builder("agentnexus.db.statements")
                    .description("JDBC statements executed by Hibernate, from execute to the last row read")
                    .register(metrics);
        }
    }
}
