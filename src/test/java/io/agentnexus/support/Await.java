package io.agentnexus.support;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a condition in tests: poll it every 100 ms until it holds, or fail saying what never happened. */
public final class Await {

    private Await() {
    }

    /** The first value of {@code probe} that satisfies {@code done}, polled for at most {@code patience}. */
    public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration patience, String what) {
        long deadline = System.nanoTime() + patience.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + patience + "; last seen: " + shown(value));
            }
            try {
                Thread.sleep(100); // the poll interval, not a stand-in for the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = probe.get();
        }
        return value;
    }

    /** A response's JSON as JSON (its toString is an object reference), anything else as itself. */
    private static String shown(Object value) {
        return value instanceof JsonPath json ? json.prettify() : String.valueOf(value);
    }
}
