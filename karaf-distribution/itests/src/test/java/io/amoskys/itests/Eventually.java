package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition on a live system by asking again until it holds or a deadline passes;
 * the failure names what was awaited and shows the last answer. Never a fixed sleep standing in
 * for "it has probably happened".
 */
final class Eventually {
    private static final Duration PAUSE = Duration.ofMillis(500);

    private Eventually() {}

    static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                String detail = lastError != null ? "last error: " + lastError : "last value: " + last;
                fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what + "; " + detail, lastError);
            }
            try {
                Thread.sleep(PAUSE.toMillis()); // pause between two probes, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
