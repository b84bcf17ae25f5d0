package io.agentnexus.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Races in tests: calls on threads of their own, all released at once by one latch. */
public final class Concurrently {

    private Concurrently() {
    }

    /** Runs {@code call(0..n-1)} on n threads released together; what each returned, in order. */
    public static <T> List<T> together(int n, IntFunction<T> call, Duration patience) {
        CountDownLatch start = new CountDownLatch(1);
        List<FutureTask<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            FutureTask<T> task = new FutureTask<>(() -> {
                start.await();
                return call.apply(index);
            });
            tasks.add(task);
            Thread.ofPlatform().start(task);
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        try {
            for (FutureTask<T> task : tasks) {
                results.add(task.get(patience.toMillis(), TimeUnit.MILLISECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            tasks.forEach(task -> task.cancel(true));
            throw new AssertionError(e);
        }
        return results;
    }

    public static <T> List<T> together(int n, IntFunction<T> call) {
        return together(n, call, Duration.ofSeconds(60));
    }
}
