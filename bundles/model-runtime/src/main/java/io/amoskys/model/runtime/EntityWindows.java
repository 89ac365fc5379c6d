package io.amoskys.model.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last W vectors of each entity, for a sequence model (descriptor {@code window} W > 1): one
 * ring of W rows of the model's features per entity. Every vector the model can read enters its
 * entity's ring, so windows are always exact; its window, the W vectors ending at it, oldest first, is
 * copied out only when due: on the entity's first vector, then once {@code stride} vectors have
 * entered the ring since its last copied window (the runtime's {@code windowStride}). With
 * stride W the copied windows tile each entity's stream: every vector is in exactly one of them,
 * and a vector waits for up to W - 1 of its entity's later vectors to be scored (the last ones of
 * an entity that falls silent are not, until it speaks again). Stride 1 copies every window. Until
 * an entity has W vectors, the window is padded at its start by repeating the entity's oldest
 * vector (the recipes pad their training windows the same way). A vector that cannot be scored
 * (a value that is not finite, a missing feature) never enters a ring, so it spoils no later window.
 *
 * <p>Bounded: at most {@code maxEntities} rings, in two parts. A new entity's ring starts on
 * probation and is established once it holds a whole window (W vectors); established rings take at
 * most three quarters of the rings. Each part gives up its least recently scored ring first: one
 * pushed out of the established part goes back to probation (and is established again by its next
 * vector), one pushed out of probation is evicted (counted in {@link #evictions}; that entity's
 * history then starts again). So a flood of entities that each send fewer than W vectors (flows
 * from spoofed addresses) churns probation only, and does not throw out the windows, and the
 * vectors waiting in them, of the hosts that talk.
 * Thread-safe: one vector is added and its window copied under the lock.
 */
final class EntityWindows {
    /** A stride at which no window is due: the vector only enters its ring (a shadow following its active version). */
    static final int NEVER = 0;

    private final int window;
    private final int features;
    private final int maxEntities;
    private final int probationSize;
    final LongAdder evictions = new LongAdder();
    /** Rings not yet holding a whole window, and the others; access order, least recently scored first. Guarded by this. */
    private final Map<String, Ring> probation = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Ring> established = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * One entity's last vectors: {@code count} of them (at most W), the next written at {@code next};
     * {@code since}: vectors entered since its last copied window.
     */
    private static final class Ring {
        final float[] rows;
        int count;
        int next;
        int since;
        boolean established;

        Ring(int size) {
            rows = new float[size];
        }

        Ring copy() {
            Ring c = new Ring(rows.length);
            System.arraycopy(rows, 0, c.rows, 0, rows.length);
            c.count = count;
            c.next = next;
            c.since = since;
            c.established = established;
            return c;
        }
    }

    EntityWindows(int window, int features, int maxEntities) {
        if (window < 2 || features < 1 || maxEntities < 1) {
            throw new IllegalArgumentException("window >= 2, features >= 1, maxEntities >= 1");
        }
        this.window = window;
        this.features = features;
        this.maxEntities = maxEntities;
        this.probationSize = (maxEntities + 3) / 4;
    }

    /**
     * Adds {@code vector} (the model's features, from {@code from}) to the entity's ring and, when
     * its window is due at {@code stride} (1: always; {@link #NEVER}: not), copies the window ending
     * at it into {@code out} at {@code offset}: W rows of the features, oldest first.
     *
     * @return whether the window was due and copied
     */
    boolean add(String entity, float[] vector, int from, int stride, float[] out, int offset) {
        synchronized (this) {
            Ring ring = ring(entity);
            boolean first = ring.count == 0;
            System.arraycopy(vector, from, ring.rows, ring.next * features, features);
            ring.next = (ring.next + 1) % window;
            ring.count = Math.min(ring.count + 1, window);
            ring.since++;
            if (!ring.established && ring.count == window) {
                establish(entity, ring);
            }
            if (stride == NEVER || !first && ring.since < stride) {
                return false;
            }
            ring.since = 0;
            copy(ring, out, offset);
            return true;
        }
    }

    /** The entity's ring, marked most recently scored; a new one on probation. */
    private Ring ring(String entity) {
        Ring ring = established.get(entity);
        if (ring == null) {
            ring = probation.get(entity);
        }
        if (ring == null) {
            ring = new Ring(window * features);
            onProbation(entity, ring);
        }
        return ring;
    }

    /** Moves a ring from probation to the established part; the part's least recently scored goes back when it is full. */
    private void establish(String entity, Ring ring) {
        probation.remove(entity);
        established.put(entity, ring);
        ring.established = true;
        if (established.size() > maxEntities - probationSize) {
            Map.Entry<String, Ring> eldest = established.entrySet().iterator().next();
            established.remove(eldest.getKey());
            onProbation(eldest.getKey(), eldest.getValue());
        }
    }

    private void onProbation(String entity, Ring ring) {
        ring.established = false;
        probation.put(entity, ring);
        if (probation.size() + established.size() > maxEntities) {
            probation.remove(probation.keySet().iterator().next());
            evictions.increment();
        }
    }

    private void copy(Ring ring, float[] out, int offset) {
        if (ring.count < window) {
            // Not wrapped yet: the vectors are at 0 .. count-1; pad with the oldest, at 0.
            int pad = window - ring.count;
            for (int p = 0; p < pad; p++) {
                System.arraycopy(ring.rows, 0, out, offset + p * features, features);
            }
            System.arraycopy(ring.rows, 0, out, offset + pad * features, ring.count * features);
        } else {
            // Full: the oldest is at next.
            int tail = (window - ring.next) * features;
            System.arraycopy(ring.rows, ring.next * features, out, offset, tail);
            System.arraycopy(ring.rows, 0, out, offset + tail, ring.next * features);
        }
    }

    /**
     * Takes over {@code from}'s rings, when it holds windows of the same shape (the caller checks
     * that the features are the same), so that a version made active goes on where the one it
     * replaces stopped: the same windows, and the vectors waiting in them scored once, when due.
     * Otherwise the rings are emptied: a version that was not fed (standby) holds stale windows,
     * which would mix vectors from before its last turn with new ones.
     */
    void takeOver(EntityWindows from) {
        boolean same = from != null && from != this && from.window == window && from.features == features
                && from.maxEntities == maxEntities;
        synchronized (this) {
            probation.clear();
            established.clear();
            if (!same) {
                return;
            }
            synchronized (from) {
                from.probation.forEach((entity, ring) -> probation.put(entity, ring.copy()));
                from.established.forEach((entity, ring) -> established.put(entity, ring.copy()));
            }
        }
    }

    /** Entities held now. */
    synchronized int entities() {
        return probation.size() + established.size();
    }

    /** The vectors held for the entity (at most W), 0 for one not held; not a use (the eviction order stays). */
    synchronized int held(String entity) {
        for (Map<String, Ring> part : List.of(probation, established)) {
            for (Map.Entry<String, Ring> e : part.entrySet()) {
                if (e.getKey().equals(entity)) {
                    return e.getValue().count;
                }
            }
        }
        return 0;
    }

    int maxEntities() {
        return maxEntities;
    }
}
