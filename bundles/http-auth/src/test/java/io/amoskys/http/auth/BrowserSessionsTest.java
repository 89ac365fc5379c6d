package io.amoskys.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser sessions through the gate, against the test JAAS realm, on a clock moved by the tests. */
class BrowserSessionsTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000_000L);
    private final BrowserSessions sessions = new BrowserSessions(3, 2, 60, 600, now::get);
    private final HttpBasicGate gate = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM),
            new LoginThrottle(5, 300, 60, 900, 100, now::get), sessions);

    @BeforeAll
    static void realm() {
        RealmForTests.install();
    }

    private static HttpServletRequest request(String method, String sessionId, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(BrowserSessionsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getCookies" -> sessionId == null ? null : new Cookie[] {new Cookie("other", "x"),
                            new Cookie(HttpBasicGate.SESSION_COOKIE, sessionId)};
                    case "getMethod" -> method;
                    case "getRequestURI" -> "/amoskys/api/v1/alerts/a1/ack";
                    case "getRemoteAddr" -> "192.0.2.9";
                    default -> null;
                });
    }

    /** The status the gate sent (0: let through) and its headers. */
    private static final class Sent {
        final AtomicInteger status = new AtomicInteger();
        final Map<String, String> headers = new HashMap<>();

        HttpServletResponse response() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status.set((Integer) args[0]); yield null; }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> new javax.servlet.ServletOutputStream() {
                            @Override public void write(int b) {}
                            @Override public boolean isReady() { return true; }
                            @Override public void setWriteListener(javax.servlet.WriteListener l) {}
                        };
                        default -> null;
                    });
        }
    }

    private BrowserSessions.Session login(String user) throws Exception {
        return gate.login(request("POST", null, Map.of()), new Sent().response(), user, "secret".toCharArray()).orElseThrow();
    }

    private int admit(String method, String sessionId, Map<String, String> headers) throws Exception {
        Sent sent = new Sent();
        Optional<AuthenticatedUser> user = gate.admit(request(method, sessionId, headers), sent.response(), java.util.Set.of(Roles.OPERATOR, Roles.ADMIN));
        assertEquals(user.isPresent(), sent.status.get() == 0);
        return sent.status.get();
    }

    @Test
    void aSessionAdmitsItsUserAndStateChangesOnlyWithItsCsrfToken() throws Exception {
        BrowserSessions.Session ops = login("otto");
        assertNotEquals(ops.id(), ops.csrfToken());
        assertEquals(0, admit("GET", ops.id(), Map.of()), "reading needs no token");
        assertEquals(403, admit("POST", ops.id(), Map.of()), "a change without the token: what another site's page would send");
        assertEquals(403, admit("POST", ops.id(), Map.of(HttpBasicGate.CSRF_HEADER, ops.csrfToken() + "x")));
        assertEquals(403, admit("DELETE", ops.id(), Map.of(HttpBasicGate.CSRF_HEADER, login("ada").csrfToken())),
                "another session's token is not this one's");
        assertEquals(0, admit("POST", ops.id(), Map.of(HttpBasicGate.CSRF_HEADER, ops.csrfToken())));
        assertEquals(403, admit("GET", login("vera").id(), Map.of()), "a viewer's session has a viewer's rights");
        StringBuilder metrics = new StringBuilder();
        gate.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_http_csrf_refused_total 3\n"), metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_http_sessions 3\n"), metrics.toString());
    }

    @Test
    void aSessionEndsWhenItsAccountChanges(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // etc/users.properties as Karaf's jaas:* commands write it; the test realm checks the passwords.
        java.nio.file.Path users = java.nio.file.Files.writeString(dir.resolve("users.properties"),
                "otto = {CRYPT}aa{CRYPT},operator,ssh\nada = {CRYPT}bb{CRYPT},admin,viewer,manager\n");
        HttpBasicGate checked = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM), new LoginThrottle(5, 300, 60, 900, 100, now::get),
                sessions, new Accounts(users));
        BrowserSessions.Session otto = checked.login(request("POST", null, Map.of()), new Sent().response(), "otto",
                "secret".toCharArray()).orElseThrow();
        BrowserSessions.Session ada = checked.login(request("POST", null, Map.of()), new Sent().response(), "ada",
                "secret".toCharArray()).orElseThrow();
        assertTrue(checked.stillOpen(otto.id()).isPresent());

        java.nio.file.Files.writeString(users, "ada = {CRYPT}bb{CRYPT},admin,viewer,manager\n"); // jaas:user-delete otto
        Sent refused = new Sent();
        assertTrue(checked.admit(request("GET", otto.id(), Map.of()), refused.response(), Roles.READERS).isEmpty());
        assertEquals(401, refused.status.get(), "a removed user's session ends at its next use");
        assertTrue(checked.stillOpen(otto.id()).isEmpty(), "and stays ended");
        assertTrue(checked.stillOpen(ada.id()).isPresent(), "another user's session goes on");

        java.nio.file.Files.writeString(users, "ada = {CRYPT}cc{CRYPT},admin,viewer,manager\n"); // jaas:user-add ada NEW
        assertTrue(checked.stillOpen(ada.id()).isEmpty(), "a new password ends the sessions of the old one");
        String stream = checked.accountAtLogin("ada");
        assertTrue(checked.accountUnchanged("ada", stream));
        java.nio.file.Files.writeString(users, "ada = {CRYPT}cc{CRYPT},viewer\n");
        assertFalse(checked.accountUnchanged("ada", stream), "a stream opened with HTTP Basic ends when the roles change");
        StringBuilder metrics = new StringBuilder();
        checked.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_http_account_changed_total 3\n"), metrics.toString());
    }

    @Test
    void sessionsEndWhenIdleWhenTooOldAndOnLogout() throws Exception {
        BrowserSessions.Session s = login("otto");
        now.addAndGet(59_000_000_000L);
        assertEquals(0, admit("GET", s.id(), Map.of()), "used within the idle time");
        now.addAndGet(59_000_000_000L);
        assertEquals(0, admit("GET", s.id(), Map.of()), "each use moves the idle time on");
        now.addAndGet(60_000_000_000L);
        Sent expired = new Sent();
        assertTrue(gate.admit(request("GET", s.id(), Map.of()), expired.response(), Roles.READERS).isEmpty());
        assertEquals(401, expired.status.get());
        assertNull(expired.headers.get("WWW-Authenticate"), "no Basic dialog for a browser whose session ended");

        BrowserSessions.Session busy = login("otto");
        for (int i = 0; i < 12; i++) { // used every 50 s: never idle, but 600 s is the most a session lives
            now.addAndGet(50_000_000_000L);
            assertEquals(i < 11 ? 0 : 401, admit("GET", busy.id(), Map.of()), "at " + (i + 1) * 50 + " s");
        }

        BrowserSessions.Session out = login("otto");
        assertTrue(sessions.close(out.id()));
        assertEquals(401, admit("GET", out.id(), Map.of()), "logged out");
        assertEquals(401, admit("GET", "made-up", Map.of()));
        StringBuilder metrics = new StringBuilder();
        gate.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_http_sessions_expired_total 2\n"), metrics.toString());
    }

    @Test
    void openingMoreThanTheMostEndsTheLeastRecentlyUsed() throws Exception {
        BrowserSessions.Session first = login("otto");
        BrowserSessions.Session second = login("ada");
        BrowserSessions.Session third = login("vera");
        assertEquals(0, admit("GET", first.id(), Map.of())); // first is now the most recently used
        login("otto");
        assertEquals(3, sessions.size());
        assertEquals(401, admit("GET", second.id(), Map.of()), "the least recently used went");
        assertEquals(0, admit("GET", first.id(), Map.of()));
        assertEquals(403, admit("GET", third.id(), Map.of()), "still open (vera is a viewer)");
    }

    @Test
    void oneUserLoggingInOverAndOverEndsOnlyTheirOwnSessions() throws Exception {
        BrowserSessions.Session ada = login("ada");
        BrowserSessions.Session first = login("otto");
        BrowserSessions.Session second = login("otto");
        BrowserSessions.Session third = login("otto"); // otto may hold 2: the first goes
        assertEquals(401, admit("GET", first.id(), Map.of()));
        assertEquals(0, admit("GET", second.id(), Map.of()));
        assertEquals(0, admit("GET", third.id(), Map.of()));
        for (int i = 0; i < 10; i++) {
            login("otto");
        }
        assertEquals(0, admit("GET", ada.id(), Map.of()), "another user's session outlives the flood");
        assertEquals(3, sessions.size());
    }

    @Test
    void aWrongPasswordOpensNothingAndIsCountedLikeBasic() throws Exception {
        for (int i = 0; i < 5; i++) {
            Sent sent = new Sent();
            assertTrue(gate.login(request("POST", null, Map.of()), sent.response(), "ada", "guess".toCharArray()).isEmpty());
            assertEquals(401, sent.status.get());
        }
        Sent locked = new Sent();
        assertTrue(gate.login(request("POST", null, Map.of()), locked.response(), "ada", "secret".toCharArray()).isEmpty());
        assertEquals(429, locked.status.get());
        assertEquals(0, sessions.size());
    }

    @Test
    void nonsenseSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrowserSessions(10, 2, 600, 60, now::get));
        assertTrue(e.getMessage().contains("sessionMaxSeconds >= sessionIdleSeconds"), e.getMessage());
    }
}
