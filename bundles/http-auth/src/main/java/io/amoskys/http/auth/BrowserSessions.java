package io.amoskys.http.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Logged-in browser sessions: a random id (the cookie) and a random CSRF token per session, which
 * state-changing requests must echo in a header. A session ends when idle for {@code idle}, when
 * older than {@code maxAge} whatever its use, or on logout. Bounded: when {@code maxSessions} are
 * open, opening one more ends the least recently used; one user holds at most
 * {@code maxPerUser}, their own oldest going first, so no user can log the others out by logging
 * in over and over. Thread-safe.
 */
public final class BrowserSessions {
    /** One logged-in session; {@code lastUsedNanos} is moved by every request that uses it. */
    public static final class Session {
        private final String id;
        private final AuthenticatedUser user;
        private final String csrfToken;
        private final long createdNanos;
        /** The user's account as it was at the login ({@link Accounts#atLogin}). */
        final String account;
        private long lastUsedNanos; // guarded by the store

        Session(String id, AuthenticatedUser user, String csrfToken, long createdNanos, String account) {
            this.id = id;
            this.user = user;
            this.csrfToken = csrfToken;
            this.createdNanos = createdNanos;
            this.account = account;
            this.lastUsedNanos = createdNanos;
        }

        public String id() {
            return id;
        }

        public AuthenticatedUser user() {
            return user;
        }

        public String csrfToken() {
            return csrfToken;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final int maxSessions;
    private final int maxPerUser;
    private final long idleNanos;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Session> open = new LinkedHashMap<>(16, 0.75f, true); // guarded by this
    final LongAdder opened = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder evicted = new LongAdder();

    public BrowserSessions(int maxSessions, int maxPerUser, long idleSeconds, long maxAgeSeconds, LongSupplier nanoClock) {
        if (maxSessions < 1 || maxPerUser < 1 || idleSeconds < 1 || maxAgeSeconds < idleSeconds) {
            throw new IllegalArgumentException("sessions need maxSessions >= 1, maxSessionsPerUser >= 1, sessionIdleSeconds >= 1 "
                    + "and sessionMaxSeconds >= sessionIdleSeconds; got " + maxSessions + ", " + maxPerUser + ", " + idleSeconds
                    + ", " + maxAgeSeconds);
        }
        this.maxSessions = maxSessions;
        this.maxPerUser = maxPerUser;
        this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
        this.maxAgeNanos = TimeUnit.SECONDS.toNanos(maxAgeSeconds);
        this.clock = nanoClock;
    }

    public long idleSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(idleNanos);
    }

    /** Opens a session for a user who just proved who they are; their account is not checked again. */
    public Session open(AuthenticatedUser user) {
        return open(user, Accounts.NOT_CHECKED);
    }

    /** As {@link #open(AuthenticatedUser)}, remembering the account as it was at the login. */
    synchronized Session open(AuthenticatedUser user, String account) {
        long now = clock.getAsLong();
        dropIdle(now);
        endOldestOfUserIfFull(user.name());
        if (open.size() >= maxSessions) {
            Iterator<Session> eldest = open.values().iterator();
            eldest.next();
            eldest.remove();
            evicted.increment();
        }
        Session session = new Session(token(), user, token(), now, account);
        open.put(session.id, session);
        opened.increment();
        return session;
    }

    /** The session of that id if it is still open, marked used now; empty (and ended) when it expired. */
    public synchronized Optional<Session> use(String id) {
        Session session = id == null ? null : open.get(id);
        if (session == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        if (now - session.lastUsedNanos >= idleNanos || now - session.createdNanos >= maxAgeNanos) {
            open.remove(id);
            expired.increment();
            return Optional.empty();
        }
        session.lastUsedNanos = now;
        return Optional.of(session);
    }

    /** Logs the session out; true if it was open. */
    public synchronized boolean close(String id) {
        return id != null && open.remove(id) != null;
    }

    public synchronized int size() {
        return open.size();
    }

    private void endOldestOfUserIfFull(String name) {
        Session oldest = null;
        int held = 0;
        for (Session s : open.values()) { // least recently used first
            if (s.user.name().equals(name) && held++ == 0) {
                oldest = s;
            }
        }
        if (held >= maxPerUser) {
            open.remove(oldest.id);
            evicted.increment();
        }
    }

    /** Ends the idle sessions at the head of the access order (the least recently used come first). */
    private void dropIdle(long now) {
        Iterator<Session> it = open.values().iterator();
        while (it.hasNext()) {
            Session s = it.next();
            if (now - s.lastUsedNanos < idleNanos) {
                return;
            }
            it.remove();
            expired.increment();
        }
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
