package io.amoskys.feature.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-entity state with a cap: at most {@code capacity} entities, least recently used evicted
 * first (those seen once before those that came back, below), and entities not seen for
 * {@code idleNanos} of the table's clock evicted too.
 * Thread-safe (one lock; callers then synchronize on the state object they get if the state is
 * mutable).
 *
 * <p>The clock is what callers pass to {@link #get}; the table keeps the newest value. Stages pass
 * {@code System.nanoTime()}: idleness is then wall-clock time, so a replay of an old capture does
 * not age live entities (nor the reverse), and one device with a clock in the future does not make
 * every other entity idle. Recency is the order of {@link #get} calls. An entity is idle when the
 * newest clock value is at least idleNanos after the latest one it was got at. Idle entities are
 * removed lazily from the least recently used ends of the two parts below, at most two per call
 * (more than the one entity a call may create, so a backlog drains); an entity sent back from the
 * established part to probation joins it at its most recent end, so an idle one may wait there
 * behind busier ones until probation makes room for a new entity. An idle entity that is asked for
 * again is removed and
 * created afresh, wherever it stands: its state has expired.
 *
 * <p>Entities seen once are kept apart from those seen again (a segmented LRU): a new entity
 * starts on probation and is established by its next use; established entities take at most three
 * quarters of the capacity, the least recently used of them going back on probation when they are
 * full, and the capacity is made from probation first. So a flood of entities that each appear
 * once (flows from spoofed sources, a sweep) evicts among themselves, not the entities that come
 * back; entities that each appear twice or more still can push them out.
 *
 * <p>A hash index plus linked lists through the entries ({@link KeyIndex}): getting an
 * existing entity allocates nothing.
 */
public final class EntityTable<S> {
    private static final int IDLE_EVICTIONS_PER_GET = 2;

    private static final class Entry<S> extends EntityKey {
        final S state;
        long lastSeenNanos;
        boolean established;
        Entry<S> older;
        Entry<S> newer;

        Entry(String space, String entity, String detail, S state, long lastSeenNanos) {
            super(space, entity, detail);
            this.state = state;
            this.lastSeenNanos = lastSeenNanos;
        }
    }

    private final Object lock = new Object();
    private final int capacity;
    /** The most entities established at once: the rest of the capacity is kept for new ones. */
    private final int establishedCapacity;
    private final long idleNanos;
    private final KeyIndex<Entry<S>> entries = new KeyIndex<>();
    /** The two parts, each a list from its least to its most recently used entry. */
    private final Part<S> probation = new Part<>();
    private final Part<S> established = new Part<>();
    private long newestNanos = Long.MIN_VALUE;
    private long created;
    private long evictedForCapacity;
    private long evictedIdle;

    /**
     * @param capacity the most entities kept, at least 1
     * @param idleNanos clock time after which an entity not seen is evicted; positive
     */
    public EntityTable(int capacity, long idleNanos) {
        if (capacity < 1 || idleNanos <= 0) {
            throw new IllegalArgumentException("need capacity >= 1 and idle > 0: " + capacity + ", " + idleNanos);
        }
        this.capacity = capacity;
        this.establishedCapacity = capacity - 1 - (capacity - 1) / 4; // capacity less a quarter, rounded up
        this.idleNanos = idleNanos;
    }

    /** One part's entries, least recently used first. */
    private static final class Part<S> {
        Entry<S> leastRecent;
        Entry<S> mostRecent;
        int size;

        void append(Entry<S> entry) {
            entry.older = mostRecent;
            if (mostRecent == null) {
                leastRecent = entry;
            } else {
                mostRecent.newer = entry;
            }
            mostRecent = entry;
            size++;
        }

        void unlink(Entry<S> entry) {
            if (entry.older == null) {
                leastRecent = entry.newer;
            } else {
                entry.older.newer = entry.newer;
            }
            if (entry.newer == null) {
                mostRecent = entry.older;
            } else {
                entry.newer.older = entry.older;
            }
            entry.older = null;
            entry.newer = null;
            size--;
        }

        void clear() {
            leastRecent = null;
            mostRecent = null;
            size = 0;
        }
    }

    /**
     * The entity's state, created with {@code create} when absent; marks it used at clockNanos. Evicts
     * lazily (a bounded number of idle entries per call, never an unbounded scan), and evicts the
     * least recently used when a new entity would exceed the capacity. {@code create} runs under
     * the table's lock: keep it cheap and do not call the table from it; it must not return null.
     */
    public S get(String entity, long clockNanos, Function<String, S> create) {
        Objects.requireNonNull(entity, "entity");
        synchronized (lock) {
            S known = find(entity, null, null, clockNanos);
            return known != null ? known : insert(entity, null, null, create.apply(entity), clockNanos);
        }
    }

    /**
     * As {@link #get(String, long, Function)} for the entity named by the parts {@code space},
     * {@code entity} and {@code detail} (unless null), listed joined with '|': stages pass an
     * event's own strings, whose hashes are cached, instead of building a key string per event.
     */
    public S get(String space, String entity, String detail, long clockNanos, Supplier<S> create) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(entity, "entity");
        synchronized (lock) {
            S known = find(space, entity, detail, clockNanos);
            return known != null ? known : insert(space, entity, detail, create.get(), clockNanos);
        }
    }

    /** Under the lock: the entity's state, marked used, or null when absent or expired. */
    private S find(String space, String entity, String detail, long clockNanos) {
        newestNanos = Math.max(newestNanos, clockNanos);
        evictIdle();
        Entry<S> entry = entries.find(EntityKey.hash(space, entity, detail), space, entity, detail);
        if (entry == null) {
            return null;
        }
        if (isIdle(entry)) {
            remove(entry);
            evictedIdle++;
            return null;
        }
        entry.lastSeenNanos = Math.max(entry.lastSeenNanos, clockNanos);
        partOf(entry).unlink(entry);
        established.append(entry);
        if (!entry.established) {
            entry.established = true;
            if (established.size > establishedCapacity) { // the least recently used established goes back on probation
                Entry<S> demoted = established.leastRecent;
                established.unlink(demoted);
                demoted.established = false;
                probation.append(demoted);
            }
        }
        return entry.state;
    }

    /** Under the lock, after {@link #find} missed: adds the entity. */
    private S insert(String space, String entity, String detail, S state, long clockNanos) {
        Objects.requireNonNull(state, "create returned null");
        if (entries.size() >= capacity) { // after create: if it throws, nothing is lost
            remove(probation.leastRecent != null ? probation.leastRecent : established.leastRecent);
            evictedForCapacity++;
        }
        Entry<S> entry = new Entry<>(space, entity, detail, state, clockNanos);
        entries.add(entry);
        probation.append(entry);
        created++;
        return state;
    }

    /** The state if present, without creating or touching it. */
    public S peek(String entity) {
        synchronized (lock) {
            Entry<S> entry = entries.find(EntityKey.hash(entity, null, null), entity, null, null);
            return entry == null ? null : entry.state;
        }
    }

    /** Entities held now. */
    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** The most entities held. */
    public int capacity() {
        return capacity;
    }

    /** Entities created since construction. */
    public long created() {
        synchronized (lock) {
            return created;
        }
    }

    /** Entities evicted to stay within the capacity, since construction. */
    public long evictedForCapacity() {
        synchronized (lock) {
            return evictedForCapacity;
        }
    }

    /** Entities evicted for being idle, since construction. */
    public long evictedIdle() {
        synchronized (lock) {
            return evictedIdle;
        }
    }

    /** Removes every entity and forgets the newest clock value; the counters keep counting. */
    public void clear() {
        synchronized (lock) {
            entries.clear();
            probation.clear();
            established.clear();
            newestNanos = Long.MIN_VALUE;
        }
    }

    /** A snapshot of the entity keys (for shell/REST listing) in the order they would be evicted: those seen once first. */
    public List<String> entities() {
        synchronized (lock) {
            List<String> keys = new ArrayList<>(entries.size());
            for (Part<S> part : List.of(probation, established)) {
                for (Entry<S> e = part.leastRecent; e != null; e = e.newer) {
                    keys.add(e.toString());
                }
            }
            return keys;
        }
    }

    private void evictIdle() {
        for (int i = 0; i < IDLE_EVICTIONS_PER_GET; i++) {
            Entry<S> oldest = longestIdle();
            if (oldest == null || !isIdle(oldest)) {
                return;
            }
            remove(oldest);
            evictedIdle++;
        }
    }

    /** The least recently used end of the two parts that was seen longest ago. */
    private Entry<S> longestIdle() {
        Entry<S> p = probation.leastRecent;
        Entry<S> e = established.leastRecent;
        return p == null ? e : e == null || p.lastSeenNanos <= e.lastSeenNanos ? p : e;
    }

    private Part<S> partOf(Entry<S> entry) {
        return entry.established ? established : probation;
    }

    private boolean isIdle(Entry<S> entry) {
        long quiet = newestNanos - entry.lastSeenNanos; // >= 0: newest is the max of all seen
        return quiet < 0 /* overflowed: centuries */ || quiet >= idleNanos;
    }

    private void remove(Entry<S> entry) {
        entries.remove(entry);
        partOf(entry).unlink(entry);
    }
}
