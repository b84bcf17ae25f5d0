package io.agentnexus.execution;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.runtime.DockerContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Docker runtime, except that preparing one chosen image can be held, as a slow pull would
 * hold it, and that the answer to a wait for an exit can be lost, as a connection that never answers would
 * lose it. Enabled only by the test profiles that name it.
 */
@Alternative
@ApplicationScoped
public class GatedRuntime implements ContainerRuntime {

    private final DockerContainerRuntime docker;
    private volatile String heldImage;
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean loseNextWait = new AtomicBoolean();
    private final AtomicInteger lostWaits = new AtomicInteger();

    GatedRuntime(DockerContainerRuntime docker) {
        this.docker = docker;
    }

    /** The next preparations of {@code image} wait until {@link #release()}. */
    void hold(String image) {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        heldImage = image;
    }

    boolean awaitHeld(Duration patience) throws InterruptedException {
        return entered.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        heldImage = null;
        release.countDown();
    }

    /** The next wait for an exit never answers. */
    void loseNextWait() {
        loseNextWait.set(true);
    }

    int lostWaits() {
        return lostWaits.get();
    }

    @Override
    public String ensureImage(String image) {
        if (image.equals(heldImage)) {
            entered.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return docker.ensureImage(image);
    }

    @Override
    public boolean reachable() {
        return docker.reachable();
    }

    @Override
    public String buildImage(Path context, String tag) {
        return docker.buildImage(context, tag);
    }

    @Override
    public String create(ContainerSpec spec) {
        return docker.create(spec);
    }

    @Override
    public void start(String containerId, byte[] stdin, int maxLineBytes, LogSink sink) {
        docker.start(containerId, stdin, maxLineBytes, sink);
    }

    @Override
    public CompletableFuture<Exit> exited(String containerId) {
        if (loseNextWait.compareAndSet(true, false)) {
            lostWaits.incrementAndGet();
            return new CompletableFuture<>();
        }
        return docker.exited(containerId);
    }

    @Override
    public void stop(String containerId, Duration grace) {
        docker.stop(containerId, grace);
    }

    @Override
    public void remove(String containerId) {
        docker.remove(containerId);
    }

    @Override
    public List<Container> listByLabel(String label, String value) {
        return docker.listByLabel(label, value);
    }
}
