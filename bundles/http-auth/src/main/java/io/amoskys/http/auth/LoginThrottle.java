package io.amoskys.http.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts failed logins and refuses further attempts for a while once there were too many, so
 * that passwords cannot be guessed at the speed of the network.
 *
 * <p>Failures are counted per client address, per client address and user name, and per user
 * name alone with a looser limit (a user attacked from many addresses is still slowed down,
 * while one noisy address cannot lock everybody out of an account as quickly). A key with
 * {@code maxFailures} failures within {@code window} is locked for {@code lockout}, doubled for
 * every further failure after the lock ends, up to {@code maxLockout}. A successful login clears
 * its address-and-user count, and brings its address's next lock back to {@code lockout}, but
 * leaves the address's count: were it to clear that, anyone with an account could guess other
 * users' passwords without end, logging in as themselves after every few guesses; were nothing
 * to reset the doubling, an address many users share (a proxy, loopback) would end up locked
 * for {@code maxLockout} after any few failures, for good.
 * While locked, a request is refused before its password is checked, so the answer tells a
 * guesser nothing.
 *
 * <p>Memory is bounded: at most {@code maxTracked} records (user names cut to
 * {@value #MAX_USER_CHARS} characters), the least recently failed that is not locked forgotten
 * first. Thread-safe. Known limit: requests that arrive together are checked before any of their
 * failures is counted, so a burst of parallel guesses gets through one lock's worth at a time.
 */
public final class LoginThrottle {
    /** The per-user limit is this many times the per-address one. */
    static final int USER_FACTOR = 4;

    /** Why a request may not try to log in now, and for how long. */
    public record Refusal(String key, long retryAfterSeconds) {}

    private static final class Failures {
        long windowStart;
        int count;
        long lockedUntil;
        int locks;
    }

    private final int maxFailures;
    private final long windowNanos;
    private final long lockoutNanos;
    private final long maxLockoutNanos;
    private final LongSupplier clock;
    private final int maxTracked;
    /** Records looked at, from the oldest, for one that is not locked. */
    private static final int EVICTION_SCAN = 64;
    /** Claimed user names are cut to this length in the records: memory stays bounded whatever a header holds. */
    static final int MAX_USER_CHARS = 64;
    private final Map<String, Failures> byKey; // guarded by itself
    private long failed;
    private long throttled;
    private long succeeded;
    private long forgotten;

    /**
     * @param maxFailures failures of one address (or address and user) within the window that lock it
     * @param windowSeconds how long failures are remembered for counting
     * @param lockoutSeconds the first lock; each further one doubles, up to maxLockoutSeconds
     * @param maxTracked most keys remembered
     */
    public LoginThrottle(int maxFailures, long windowSeconds, long lockoutSeconds, long maxLockoutSeconds, int maxTracked,
            LongSupplier nanoClock) {
        if (maxFailures < 1 || windowSeconds < 1 || lockoutSeconds < 1 || maxLockoutSeconds < lockoutSeconds || maxTracked < 1) {
            throw new IllegalArgumentException("need maxFailures, windowSeconds, lockoutSeconds, maxTracked >= 1 and "
                    + "maxLockoutSeconds >= lockoutSeconds: " + maxFailures + ", " + windowSeconds + ", " + lockoutSeconds + ", "
                    + maxLockoutSeconds + ", " + maxTracked);
        }
        this.maxFailures = maxFailures;
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
        this.lockoutNanos = TimeUnit.SECONDS.toNanos(lockoutSeconds);
        this.maxLockoutNanos = TimeUnit.SECONDS.toNanos(maxLockoutSeconds);
        this.clock = nanoClock;
        this.maxTracked = maxTracked;
        this.byKey = new LinkedHashMap<>(256, 0.75f, true);
    }

    /**
     * Forgets the least recently used record that is not locked now (looking at the oldest few),
     * so that a flood of new addresses cannot wash out a lock, in particular a user's.
     */
    private void evictOne(long now) {
        Iterator<Map.Entry<String, Failures>> oldest = byKey.entrySet().iterator();
        Map.Entry<String, Failures> victim = null;
        for (int looked = 0; oldest.hasNext() && looked < EVICTION_SCAN; looked++) {
            Map.Entry<String, Failures> e = oldest.next();
            if (victim == null) {
                victim = e; // the oldest, if every one looked at is locked
            }
            if (now >= e.getValue().lockedUntil) {
                victim = e;
                break;
            }
        }
        if (victim != null) {
            byKey.remove(victim.getKey());
            forgotten++;
        }
    }

    /** A refusal when the address, the user at that address, or the user is locked now; null when it may try. */
    public Refusal check(String address, String user) {
        long now = clock.getAsLong();
        synchronized (byKey) {
            for (String key : keys(address, user)) {
                Failures f = byKey.get(key);
                if (f != null && now < f.lockedUntil) {
                    throttled++;
                    return new Refusal(key, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(f.lockedUntil - now + 999_999_999L)));
                }
            }
            return null;
        }
    }

    /** Counts a failed login: wrong password, unknown user or unreadable credentials. */
    public void failed(String address, String user) {
        long now = clock.getAsLong();
        synchronized (byKey) {
            failed++;
            String[] keys = keys(address, user);
            for (int i = 0; i < keys.length; i++) {
                int limit = keys[i].startsWith("user ") ? maxFailures * USER_FACTOR : maxFailures;
                count(byKey.computeIfAbsent(keys[i], k -> new Failures()), now, limit);
                if (byKey.size() > maxTracked) {
                    evictOne(now);
                }
            }
        }
    }

    private void count(Failures f, long now, int limit) {
        if (f.count == 0 || now - f.windowStart > windowNanos) {
            f.windowStart = now;
            f.count = 0;
        }
        f.count++;
        if (f.count >= limit) {
            long lock = lockoutNanos;
            for (int i = 0; i < f.locks && lock < maxLockoutNanos; i++) {
                lock = Math.min(maxLockoutNanos, lock * 2); // doubles, never past the ceiling (no overflow)
            }
            f.lockedUntil = now + lock;
            f.locks++;
            f.count = 0; // the next lock needs a fresh run of failures, and is longer
            f.windowStart = now;
        }
    }

    /**
     * A successful login clears what that user at that address had failed, and the doubling of its
     * address's locks (not the address's count, see above).
     */
    public void succeeded(String address, String user) {
        synchronized (byKey) {
            succeeded++;
            String[] keys = keys(address, user);
            Failures shared = byKey.get(keys[0]);
            if (shared != null) {
                shared.locks = 0;
            }
            if (keys.length > 1) {
                byKey.remove(keys[1]);
            }
        }
    }

    private static String[] keys(String address, String claimed) {
        String user = claimed == null || claimed.length() <= MAX_USER_CHARS ? claimed : claimed.substring(0, MAX_USER_CHARS);
        return user == null
                ? new String[] {"address " + address}
                : new String[] {"address " + address, "address " + address + " user " + user, "user " + user};
    }

    /** Prometheus families {@code amoskys_http_login_*}. */
    public void writePrometheus(StringBuilder out) {
        long failedNow;
        long throttledNow;
        long succeededNow;
        long forgottenNow;
        int tracked;
        synchronized (byKey) {
            failedNow = failed;
            throttledNow = throttled;
            succeededNow = succeeded;
            forgottenNow = forgotten;
            tracked = byKey.size();
        }
        family(out, "amoskys_http_logins_total", "counter", "HTTP logins that succeeded", succeededNow);
        family(out, "amoskys_http_login_failures_total", "counter", "HTTP logins refused for wrong, unknown or unreadable credentials",
                failedNow);
        family(out, "amoskys_http_login_throttled_total", "counter",
                "HTTP requests refused without checking credentials because their address or user was locked after failures",
                throttledNow);
        family(out, "amoskys_http_login_tracked", "gauge", "Addresses and users whose failed logins are remembered", tracked);
        family(out, "amoskys_http_login_forgotten_total", "counter", "Failure records dropped to keep memory bounded", forgottenNow);
    }

    private static void family(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
