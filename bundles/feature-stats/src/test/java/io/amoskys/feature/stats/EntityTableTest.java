package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EntityTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;

    /** A state that remembers its entity and counts its uses. */
    private static final class State {
        final String entity;
        int uses;

        State(String entity) {
            this.entity = entity;
        }
    }

    private static final Function<String, State> CREATE = State::new;

    @Test
    void evictsTheLeastRecentlyUsedAtCapacity() {
        EntityTable<State> table = new EntityTable<>(3, HOUR);
        table.get("a", 1, CREATE);
        table.get("b", 2, CREATE);
        table.get("c", 3, CREATE);
        table.get("a", 4, CREATE); // a is now the most recent, and established
        table.get("d", 5, CREATE); // evicts b
        assertEquals(List.of("c", "d", "a"), table.entities(), "in eviction order: those seen once, then a");
        assertNull(table.peek("b"));
        assertEquals("c", table.peek("c").entity); // peek does not make c recent
        table.get("e", 6, CREATE); // evicts c
        assertEquals(List.of("d", "e", "a"), table.entities());
        assertEquals(5, table.created());
        assertEquals(2, table.evictedForCapacity());
        assertEquals(0, table.evictedIdle());
        assertEquals(3, table.size());
        assertEquals(3, table.capacity());
    }

    @Test
    void aFloodOfEntitiesSeenOnceEvictsAmongItselfNotTheEntitiesThatComeBack() {
        EntityTable<State> table = new EntityTable<>(100, HOUR);
        for (int i = 0; i < 75; i++) {
            table.get("host" + i, i, CREATE);
            table.get("host" + i, i, CREATE); // seen again: established
        }
        for (int i = 0; i < 10_000; i++) {
            table.get("spoofed" + i, 100 + i, CREATE);
        }
        for (int i = 0; i < 75; i++) {
            assertEquals("host" + i, table.peek("host" + i).entity, "host" + i + " outlived the flood");
        }
        assertEquals(100, table.size());
        assertEquals(10_000 - 25, table.evictedForCapacity());
    }

    @Test
    void establishedEntitiesTakeThreeQuartersAndTheLeastRecentlyUsedOfThemGoesBackOnProbation() {
        EntityTable<State> table = new EntityTable<>(4, HOUR); // three established at most
        for (String e : List.of("a", "b", "c", "d")) {
            table.get(e, 1, CREATE);
            table.get(e, 2, CREATE);
        }
        assertEquals(List.of("a", "b", "c", "d"), table.entities(), "a went back on probation when d was established");
        table.get("e", 3, CREATE);
        assertNull(table.peek("a"), "a, on probation, made room for e");
        assertEquals(List.of("e", "b", "c", "d"), table.entities());
    }

    @Test
    void idleEntitiesAreFoundInBothParts() {
        EntityTable<State> table = new EntityTable<>(10, HOUR);
        table.get("established", 0, CREATE);
        table.get("established", 1, CREATE);
        table.get("new", 30 * 60 * SECOND, CREATE);
        table.get("later", HOUR + 60 * SECOND, CREATE);
        assertEquals(List.of("new", "later"), table.entities(), "the established one went though probation's oldest is not idle");
        assertEquals(1, table.evictedIdle());
    }

    @Test
    void createsOnlyWhenAbsentAndKeepsTheState() {
        EntityTable<State> table = new EntityTable<>(10, HOUR);
        AtomicInteger creations = new AtomicInteger();
        Function<String, State> counting = e -> {
            creations.incrementAndGet();
            return new State(e);
        };
        State first = table.get("h", 1, counting);
        first.uses++;
        State again = table.get("h", 2, counting);
        assertSame(first, again);
        assertEquals(1, again.uses);
        assertEquals(1, creations.get());
        assertNull(table.peek("other"));
        assertEquals(1, table.size(), "peek creates nothing");
    }

    @Test
    void evictsIdleEntitiesByEventTime() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        table.get("a", 0, CREATE);
        table.get("b", 5 * SECOND, CREATE);
        table.get("c", 9 * SECOND, CREATE);
        table.get("c", 12 * SECOND, CREATE); // newest 12 s: a was last seen 12 s ago
        assertEquals(List.of("b", "c"), table.entities());
        assertEquals(1, table.evictedIdle());
        table.get("x", 30 * SECOND, CREATE); // b (25 s) and c (18 s) are idle
        assertEquals(List.of("x"), table.entities());
        assertEquals(3, table.evictedIdle());
        assertEquals(0, table.evictedForCapacity());
    }

    @Test
    void idleMeansNotSeenForTheWholeIdleTime() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        table.get("a", 0, CREATE);
        table.get("b", 10 * SECOND - 1, CREATE);
        assertEquals(List.of("a", "b"), table.entities(), "one nanosecond short");
        table.get("b", 10 * SECOND, CREATE);
        assertEquals(List.of("b"), table.entities(), "exactly the idle time");
    }

    @Test
    void evictsABoundedNumberOfIdleEntitiesPerCall() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        for (int i = 0; i < 7; i++) {
            table.get("old-" + i, i, CREATE);
        }
        table.get("new", 100 * SECOND, CREATE);
        assertEquals(2, table.evictedIdle());
        assertEquals(6, table.size());
        table.get("new", 100 * SECOND, CREATE);
        table.get("new", 100 * SECOND, CREATE);
        assertEquals(6, table.evictedIdle());
        assertEquals(List.of("old-6", "new"), table.entities());
    }

    @Test
    void aLateEventNeitherRewindsAnEntityNorTheClock() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        State a = table.get("a", 100 * SECOND, CREATE);
        table.get("a", 50 * SECOND, CREATE); // late: a stays last seen at 100 s
        table.get("b", 105 * SECOND, CREATE);
        table.get("b", 60 * SECOND, CREATE); // late: the newest time stays 105 s
        assertSame(a, table.peek("a"));
        assertEquals(0, table.evictedIdle());
    }

    @Test
    void anIdleEntityAskedForAgainStartsAfresh() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        State before = table.get("a", 0, CREATE);
        table.get("b", 20 * SECOND, CREATE); // a is idle and goes
        State after = table.get("a", 21 * SECOND, CREATE);
        assertNotSame(before, after);
        assertEquals(3, table.created());
        assertEquals(1, table.evictedIdle());
    }

    @Test
    void anIdleEntityIsFreshWhenAskedForEvenIfOthersStandBeforeItInTheQueue() {
        EntityTable<State> table = new EntityTable<>(100, 10 * SECOND);
        table.get("a", 0, CREATE);
        table.get("b", 0, CREATE);
        table.get("c", 0, CREATE);
        State stale = table.get("d", 0, CREATE);
        State fresh = table.get("d", 11 * SECOND, CREATE); // evicts a and b from the front first, then finds d idle
        assertNotSame(stale, fresh);
        assertEquals(5, table.created());
    }

    @Test
    void clearEmptiesButKeepsCounting() {
        EntityTable<State> table = new EntityTable<>(2, HOUR);
        table.get("a", 1, CREATE);
        table.get("b", 2, CREATE);
        table.get("c", 3, CREATE);
        table.clear();
        assertEquals(0, table.size());
        assertEquals(List.of(), table.entities());
        assertNull(table.peek("c"));
        assertEquals(3, table.created());
        assertEquals(1, table.evictedForCapacity());
        table.get("a", 1, CREATE); // the clock was forgotten too: time 1 is not idle
        assertEquals(List.of("a"), table.entities());
    }

    @Test
    void aFailingCreateLosesNothing() {
        EntityTable<State> table = new EntityTable<>(1, HOUR);
        table.get("a", 1, CREATE);
        assertThrows(IllegalStateException.class, () -> table.get("b", 2, e -> {
            throw new IllegalStateException("no");
        }));
        assertThrows(NullPointerException.class, () -> table.get("b", 2, e -> null));
        assertEquals(List.of("a"), table.entities());
        assertEquals(0, table.evictedForCapacity());
    }

    @Test
    void twoThreadsShareTheTable() throws Exception {
        EntityTable<State> table = new EntityTable<>(100, 5 * SECOND);
        CyclicBarrier start = new CyclicBarrier(2);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger overCapacity = new AtomicInteger();
        Thread[] threads = new Thread[2];
        for (int n = 0; n < threads.length; n++) {
            long seed = n;
            threads[n] = new Thread(() -> {
                try {
                    Random random = new Random(seed);
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        long t = i * 1_000_000L + random.nextInt(50_000_000); // 1 ms apart, some late
                        State s = table.get("e" + random.nextInt(300), t, CREATE);
                        synchronized (s) {
                            s.uses++;
                        }
                        if (table.size() > table.capacity()) {
                            overCapacity.incrementAndGet();
                        }
                        if (i % 1000 == 0) {
                            table.entities();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads[n].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(0, overCapacity.get());
        assertTrue(table.evictedForCapacity() > 0);
        assertEquals(table.created() - table.evictedForCapacity() - table.evictedIdle(), table.size());
        assertEquals(table.size(), table.entities().size());
    }

    @Test
    void refusesBadBounds() {
        assertThrows(IllegalArgumentException.class, () -> new EntityTable<State>(0, HOUR));
        assertThrows(IllegalArgumentException.class, () -> new EntityTable<State>(1, 0));
    }

    @Test
    void entitiesNamedByPartsAreOneStatePerDistinctParts() {
        EntityTable<State> table = new EntityTable<>(3, HOUR);
        State ab = table.get("service", "a", "b", 1, () -> new State("ab"));
        assertSame(ab, table.get("service", "a", "b", 2, () -> new State("again")), "the same parts: the same state");
        State ac = table.get("service", "a", "c", 3, () -> new State("ac"));
        State pair = table.get("pair", "a", "b", 4, () -> new State("pair"));
        assertNotSame(ab, ac);
        assertNotSame(ab, pair);
        assertEquals(List.of("service|a|c", "pair|a|b", "service|a|b"), table.entities(), "ab, seen twice, goes last");
        table.get("host", "a", null, 5, () -> new State("host")); // over capacity: the least recent seen once goes
        assertEquals(List.of("pair|a|b", "host|a", "service|a|b"), table.entities());
        assertSame(ab, table.get("service", "a", "b", 6, () -> new State("new")));
        assertEquals(1, table.evictedForCapacity(), "ac");
    }

    @Test
    void manyEntitiesComeAndGoAndTheRecentOnesAreFound() {
        EntityTable<State> table = new EntityTable<>(1000, HOUR);
        for (int i = 0; i < 20_000; i++) {
            table.get("e" + i, i, CREATE);
        }
        assertEquals(1000, table.size());
        for (int i = 19_000; i < 20_000; i++) {
            assertEquals("e" + i, table.peek("e" + i).entity);
        }
        assertNull(table.peek("e18999"));
        assertEquals(19_000, table.evictedForCapacity());
    }
}
