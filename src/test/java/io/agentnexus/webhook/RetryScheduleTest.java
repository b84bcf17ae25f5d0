package io.agentnexus.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The default schedule: Standard Webhooks' (Svix's) waits, about 27 hours, then FAILED. */
class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)));

    @Test
    void waitsLongerAfterEachFailedAttempt() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), schedule.after(1));
        assertEquals(Optional.of(Duration.ofMinutes(5)), schedule.after(2));
        assertEquals(Optional.of(Duration.ofHours(10)), schedule.after(7));
    }

    @Test
    void givesUpAfterTheEighthAttemptAboutADayLater() {
        assertEquals(Optional.empty(), schedule.after(8));
        Duration total = IntStream.rangeClosed(1, 7).mapToObj(schedule::after).map(Optional::orElseThrow)
                .reduce(Duration.ZERO, Duration::plus);
        assertTrue(total.compareTo(Duration.ofHours(27)) > 0 && total.compareTo(Duration.ofHours(28)) < 0, total::toString);
    }

    @Test
    void theDefaultIsThatSchedule() throws Exception {
        String defaults = WebhooksConfig.class.getMethod("retrySchedule")
                .getAnnotation(io.smallrye.config.WithDefault.class).value();
        assertEquals("5s,5m,30m,2h,5h,10h,10h", defaults);
    }
}
