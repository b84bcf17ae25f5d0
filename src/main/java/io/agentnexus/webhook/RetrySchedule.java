package io.agentnexus.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The waits between attempts of a delivery; the first attempt is immediate. */
record RetrySchedule(List<Duration> waits) {

    /** The wait after failed attempt number {@code attempt} (from 1); empty after the last: give up. */
    Optional<Duration> after(int attempt) {
        return attempt >= 1 && attempt <= waits.size() ? Optional.of(waits.get(attempt - 1)) : Optional.empty();
    }
}
