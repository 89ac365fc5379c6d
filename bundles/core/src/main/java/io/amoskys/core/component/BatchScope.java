package io.amoskys.core.component;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The detector batchers a thread has fed since its input last ended. A thread that hands a
 * bounded piece of work to a route (the bus consumer's log batch, a gate's drain, a batcher's
 * flush) ends it with {@link #endTouched()}: every batcher it fed scores what it gathered now,
 * instead of waiting for its timer, so an idle stream is never held back by batching. Batchers
 * downstream of a batcher hear of the end from that batcher's flusher, once the batches before
 * the end have gone through.
 */
final class BatchScope {
    private static final ThreadLocal<Set<DetectorBatcher>> TOUCHED = new ThreadLocal<>();

    private BatchScope() {}

    /** @return true when this call opened the scope (and must {@link #close(boolean) close} it) */
    static boolean open() {
        if (TOUCHED.get() != null) {
            return false;
        }
        TOUCHED.set(new LinkedHashSet<>());
        return true;
    }

    static void touch(DetectorBatcher batcher) {
        Set<DetectorBatcher> touched = TOUCHED.get();
        if (touched != null) {
            touched.add(batcher);
        }
    }

    /** Ends the input of every batcher this thread fed since the last end; the scope stays open. */
    static void endTouched() {
        Set<DetectorBatcher> touched = TOUCHED.get();
        if (touched == null) {
            return;
        }
        while (!touched.isEmpty()) {
            List<DetectorBatcher> ended = new ArrayList<>(touched);
            touched.clear();
            ended.forEach(DetectorBatcher::endOfInput);
        }
    }

    static void close(boolean opened) {
        if (opened) {
            try {
                endTouched();
            } finally {
                TOUCHED.remove();
            }
        }
    }
}
