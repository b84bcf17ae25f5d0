package io.agentnexus.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock in tests: the system clock, which a test may move forward (and must move back in a
 * finally block). Replaces the one clock of the application, so the service sees the moved time everywhere.
 */
@Alternative
@Priority(1)
@Singleton
public class MovableClock extends Clock {

    private static volatile Duration offset = Duration.ZERO;

    /** Moves the service's time forward; {@link #reset()} brings it back. */
    public static void advance(Duration by) {
        offset = offset.plus(by);
    }

    public static void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset);
    }
}
