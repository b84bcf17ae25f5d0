package io.agentnexus.platform.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * An in-process cache in front of Redis, for values that are cheap to hold and costly to rebuild (response
 * bytes). It answers only while its invalidation channel is subscribed ({@link NearCaches}): a replica that
 * could miss an invalidation answers from Redis or the database instead. Every entry carries the epoch it
 * was loaded in and an invalidation moves the epoch, so a load that raced a write can only store a dead entry.
 * Bounded in entries and in weight (bytes); when full, an arbitrary entry makes room.
 */
public final class NearCache<V> {

    /** A ticket that stores nothing: the cache was not serving when the load began. */
    public static final long NO_TICKET = -1;

    private record Entry<V>(long epoch, V value, int weight) {
    }

    private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong weight = new AtomicLong();
    private final int maxEntries;
    private final long maxWeight;
    private final ToIntFunction<V> weigher;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypassed;
    private final Counter invalidations;
    private volatile boolean live;

    NearCache(String name, int maxEntries, long maxWeight, ToIntFunction<V> weigher, MeterRegistry metrics) {
        this.maxEntries = maxEntries;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
        this.hits = metrics.counter("agentnexus.cache.near.requests", "cache", name, "result", "hit");
        this.misses = metrics.counter("agentnexus.cache.near.requests", "cache", name, "result", "miss");
        this.bypassed = metrics.counter("agentnexus.cache.near.requests", "cache", name, "result", "bypass");
        this.invalidations = metrics.counter("agentnexus.cache.near.invalidations", "cache", name);
        metrics.gaugeMapSize("agentnexus.cache.near.entries", io.micrometer.core.instrument.Tags.of("cache", name),
                entries);
        metrics.gauge("agentnexus.cache.near.bytes", io.micrometer.core.instrument.Tags.of("cache", name), weight);
    }

    /** The value if it is current and the cache is serving; counted as a hit, a miss or a bypass. */
    public V get(String key) {
        if (!live) {
            bypassed.increment();
            return null;
        }
        V value = peek(key);
        (value == null ? misses : hits).increment();
        return value;
    }

    /** As {@link #get} but not counted: for a second look on the slow path. */
    public V peek(String key) {
        if (!live) {
            return null;
        }
        Entry<V> entry = entries.get(key);
        return entry != null && entry.epoch() == epoch.get() ? entry.value() : null;
    }

    /** Taken before a load begins; {@link #put} keeps the value only if nothing was invalidated since. */
    public long ticket() {
        return live ? epoch.get() : NO_TICKET;
    }

    public void put(String key, long ticket, V value) {
        if (ticket == NO_TICKET || ticket != epoch.get()) {
            return;
        }
        int size = weigher.applyAsInt(value);
        if (size > maxWeight / 4) {
            return; // one value must not push out most of the others
        }
        while (entries.size() >= maxEntries || weight.get() + size > maxWeight) {
            if (!evictOne()) {
                break;
            }
        }
        Entry<V> previous = entries.put(key, new Entry<>(ticket, value, size));
        weight.addAndGet(size - (previous == null ? 0 : previous.weight()));
    }

    /** Drops every entry: a write committed somewhere, or invalidations may have been missed. */
    public void invalidate() {
        epoch.incrementAndGet();
        invalidations.increment();
        for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext();) {
            Entry<V> entry = it.next();
            it.remove();
            weight.addAndGet(-entry.weight());
        }
    }

    public boolean serving() {
        return live;
    }

    /** Serving only while invalidations are sure to arrive; entries from before a gap are dropped first. */
    void live(boolean live) {
        if (live && !this.live) {
            invalidate();
        }
        this.live = live;
    }

    private boolean evictOne() {
        Iterator<java.util.Map.Entry<String, Entry<V>>> it = entries.entrySet().iterator();
        if (!it.hasNext()) {
            return false;
        }
        java.util.Map.Entry<String, Entry<V>> victim = it.next();
        if (entries.remove(victim.getKey(), victim.getValue())) {
            weight.addAndGet(-victim.getValue().weight());
        }
        return true;
    }
}
