package io.amoskys.response.internal;

import java.util.ArrayDeque;

/** At most {@code limit} starts in any 60 s; memory is bounded by the limit. */
final class RateWindow {
    private static final long MINUTE_MS = 60_000;

    private final int limit;
    private final ArrayDeque<Long> starts = new ArrayDeque<>();

    RateWindow(int limit) {
        this.limit = Math.max(0, limit);
    }

    /** Counts a start at {@code nowMs} unless the window is full. */
    synchronized boolean tryStart(long nowMs) {
        while (!starts.isEmpty() && starts.peekFirst() <= nowMs - MINUTE_MS) {
            starts.pollFirst();
        }
        if (starts.size() >= limit) {
            return false;
        }
        starts.addLast(nowMs);
        return true;
    }

    /** Whether a start at {@code nowMs} would be counted, without counting it. */
    synchronized boolean hasRoom(long nowMs) {
        long inWindow = starts.stream().filter(t -> t > nowMs - MINUTE_MS).count();
        return inWindow < limit;
    }

    int limit() {
        return limit;
    }
}
