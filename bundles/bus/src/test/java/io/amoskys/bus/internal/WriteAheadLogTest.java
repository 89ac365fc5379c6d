package io.amoskys.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.amoskys.schema.v1.Ack;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log on a real embedded Derby: what its senders hear when its writer is gone. */
class WriteAheadLogTest {
    @TempDir
    Path dir;

    /**
     * The writer dies of an Error (here thrown by its listener after a commit) while a sender
     * waits for room in the full queue. The writer's last drain makes that room; the envelope put
     * after it must still be answered, or its sender (a gRPC stream, an agent) waits for good.
     */
    @Test
    void anEnvelopeQueuedAfterTheWritersLastDrainIsAnsweredToo() throws Exception {
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        List<String> failures = new CopyOnWriteArrayList<>();
        WalListener dying = new QuietListener() {
            @Override
            public void committed(int envelopes, int events, long bytes, int duplicates, long commitNanos) {
                committing.countDown();
                try {
                    die.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new Error("the writer's death, for the test");
            }

            @Override public void failed(String what) {
                failures.add(what);
            }
        };
        WriteAheadLog wal = new WriteAheadLog(dir.resolve("wal"), new WriteAheadLog.Settings(1, 64L << 20, 1, 3_600_000L,
                1L << 30, 100), Clock.systemUTC(), dying);
        try {
            CompletableFuture<Ack> first = wal.append(verdict(1), new byte[] {1}, System.nanoTime());
            assertTrue(committing.await(30, TimeUnit.SECONDS), "the writer committed the first envelope");
            CompletableFuture<Ack> second = wal.append(verdict(2), new byte[] {2}, System.nanoTime()); // fills the queue
            AtomicReference<CompletableFuture<Ack>> third = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    third.set(wal.append(verdict(3), new byte[] {3}, System.nanoTime()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sender.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sender.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the sender waits for room in the queue
            }
            assertEquals(Thread.State.WAITING, sender.getState(), "the third sender waits for room");

            die.countDown();
            sender.join(TimeUnit.SECONDS.toMillis(30));
            assertFailed(first);
            assertFailed(second);
            assertFailed(third.get());
            assertEquals(List.of("writer-stopped"), failures, "counted for amoskys_bus_log_failures_total");
        } finally {
            die.countDown();
            wal.close();
        }
    }

    /**
     * Refusals are answered at once, so a sender of garbage is never slowed down; queued for the
     * quarantine table behind a busy writer, they must not take the room verified envelopes need.
     */
    @Test
    void refusalsTakeOnlyTheirShareOfTheQueueAndNeverHoldUpAnEnvelope() throws Exception {
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger dropped = new AtomicInteger();
        WalListener held = new QuietListener() {
            @Override
            public void committed(int envelopes, int events, long bytes, int duplicates, long commitNanos) {
                committing.countDown();
                try {
                    go.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override public void quarantineDropped() {
                dropped.incrementAndGet();
            }

        };
        WriteAheadLog wal = new WriteAheadLog(dir.resolve("wal"), new WriteAheadLog.Settings(16, 64L << 20, 1, 3_600_000L,
                1L << 30, 100), Clock.systemUTC(), held);
        try {
            CompletableFuture<Ack> first = wal.append(verdict(1), new byte[] {1}, System.nanoTime());
            assertTrue(committing.await(30, TimeUnit.SECONDS), "the writer is in its first commit");
            for (int i = 0; i < 64; i++) {
                wal.quarantine(new Rejected(System.currentTimeMillis(), Verdict.refused(io.amoskys.schema.RejectReason.MALFORMED,
                        "garbage " + i, "edge-1", 0, ""), "test", new byte[64 * 1024]));
            }
            assertEquals(64 - 16 / 8, dropped.get(), "an eighth of the queue's entries for refusals; the rest counted");
            CompletableFuture<CompletableFuture<Ack>> queued = CompletableFuture.supplyAsync(() -> {
                try {
                    return wal.append(verdict(2), new byte[] {2}, System.nanoTime());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Ack> second = queued.get(10, TimeUnit.SECONDS); // old: waited for room behind the refusals
            go.countDown();
            assertEquals(Ack.Status.ACCEPTED, first.get(30, TimeUnit.SECONDS).getStatus());
            assertEquals(Ack.Status.ACCEPTED, second.get(30, TimeUnit.SECONDS).getStatus());
            assertEquals(16 / 8, wal.quarantined(100).size(), "the refusals let in were kept");
        } finally {
            go.countDown();
            wal.close();
        }
    }

    private static void assertFailed(CompletableFuture<Ack> ack) throws InterruptedException {
        try {
            Ack answered = ack.get(10, TimeUnit.SECONDS);
            fail("acknowledged by a writer that died: " + answered);
        } catch (ExecutionException expected) {
            // failed: its sender sends again
        } catch (TimeoutException e) {
            fail("never answered: its sender would wait for good");
        }
    }

    private static Verdict verdict(long sequence) {
        return new Verdict(null, null, "edge-1", sequence, "key-1", "iot", 1, System.nanoTime(), sequence, sequence);
    }

    /** A listener that takes note of nothing; tests override what they watch. */
    private static class QuietListener implements WalListener {
        @Override public void committed(int envelopes, int events, long bytes, int duplicates, long commitNanos) {}
        @Override public void acked(long latencyNanos) {}
        @Override public void accepted(String agentId, int events) {}
        @Override public void retained(long envelopesRemoved, long unconsumedRemoved) {}
        @Override public void quarantineDropped() {}
        @Override public void refused(io.amoskys.schema.RejectReason reason) {}
        @Override public void failed(String what) {}
    }
}
