package io.amoskys.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpBasicGateTest {
    /** The throttle's clock, moved by the tests. */
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(5, 300, 60, 900, 100, now::get);
    private final HttpBasicGate gate = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM), throttle);
    private String address = "192.0.2.1";

    @BeforeAll
    static void realm() {
        RealmForTests.install();
    }

    /** What the gate sent: status, headers and body; status 0 when it let the request through. */
    private static final class Reply {
        int status;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {}
            };
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "getOutputStream" -> out;
                        default -> null;
                    });
        }

        /** The "error" of the JSON body. */
        String error() throws DeserializationException {
            return ((JsonObject) Jsoner.deserialize(body.toString(StandardCharsets.UTF_8))).getString("error");
        }
    }

    private HttpServletRequest request(String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpBasicGateTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> "Authorization".equals(args[0]) ? authorization : null;
                    case "getMethod" -> "GET";
                    case "getRequestURI" -> "/amoskys/api/v1/agents";
                    case "getRemoteAddr" -> address;
                    default -> null;
                });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<AuthenticatedUser> admit(String authorization, Set<String> roles, Reply reply) throws Exception {
        return gate.admit(request(authorization), reply.response(), roles);
    }

    @Test
    void everyReadingRoleIsAdmittedWithItsRoles() throws Exception {
        for (String user : new String[] {"vera", "otto", "ada"}) {
            Reply reply = new Reply();
            AuthenticatedUser admitted = admit(basic(user, "secret"), Roles.READERS, reply).orElseThrow();
            assertEquals(user, admitted.name());
            assertEquals(RealmForTests.USERS.get(user), admitted.roles());
            assertEquals(0, reply.status, "nothing sent for an admitted user");
        }
    }

    @Test
    void missingMalformedOrWrongCredentialsAreChallenged() throws Exception {
        Reply missing = new Reply();
        assertTrue(admit(null, Roles.READERS, missing).isEmpty());
        assertEquals(401, missing.status);
        assertEquals("Basic realm=\"amoskys\"", missing.headers.get("WWW-Authenticate"));
        assertEquals("application/json; charset=utf-8", missing.headers.get("Content-Type"));
        assertEquals("log in as a Karaf user in one of the roles admin, operator, viewer: HTTP Basic, or a browser session "
                + "(POST /amoskys/api/v1/session)", missing.error());
        int client = 0;
        for (String authorization : new String[] {"Bearer x", "Basic ???", basic("", "secret"), basic("ada", "wrong"),
                basic("nobody", "secret")}) {
            address = "192.0.2." + (10 + client++); // one failure each: none is locked
            Reply reply = new Reply();
            assertTrue(admit(authorization, Roles.READERS, reply).isEmpty(), authorization);
            assertEquals(401, reply.status, authorization);
            assertEquals("Basic realm=\"amoskys\"", reply.headers.get("WWW-Authenticate"));
            assertEquals("wrong user name or password: log in with HTTP Basic as a Karaf user in one of the roles admin, operator, viewer",
                    reply.error());
        }
        assertTrue(metrics().contains("amoskys_http_login_failures_total 5\n"), metrics());
    }

    private String metrics() {
        StringBuilder out = new StringBuilder();
        gate.writePrometheus(out);
        return out.toString();
    }

    @Test
    void behindATrustedProxyFailuresLockTheForwardedClientNotEveryone() throws Exception {
        HttpBasicGate proxied = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM), throttle,
                new BrowserSessions(1000, 16, 1800, 43_200, now::get), Accounts.UNCHECKED, new String[] {"198.51.100.0/24, 192.0.2.1", "no-such-range"});
        address = "192.0.2.1"; // the proxy
        for (int i = 0; i < 5; i++) {
            assertTrue(proxied.admit(forwarded(basic("ada", "guess" + i), "203.0.113.66"), new Reply().response(), Roles.READERS).isEmpty());
        }
        Reply locked = new Reply();
        assertTrue(proxied.admit(forwarded(basic("vera", "secret"), "203.0.113.66"), locked.response(), Roles.READERS).isEmpty());
        assertEquals(429, locked.status, "the guessing client is locked");
        assertTrue(locked.error().contains("address 203.0.113.66"), locked.error());
        Reply other = new Reply();
        assertEquals("vera", proxied.admit(forwarded(basic("vera", "secret"), "203.0.113.67"), other.response(), Roles.READERS)
                .orElseThrow().name(), "another client behind the same proxy still gets in");
        StringBuilder metrics = new StringBuilder();
        proxied.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_http_trusted_proxies_refused 1\n"), metrics.toString());
    }

    private HttpServletRequest forwarded(String authorization, String client) {
        HttpServletRequest plain = request(authorization);
        return (HttpServletRequest) Proxy.newProxyInstance(HttpBasicGateTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> "getHeaders".equals(method.getName()) && "X-Forwarded-For".equals(args[0])
                        ? java.util.Collections.enumeration(java.util.List.of(client)) : method.invoke(plain, args));
    }

    @Test
    void wrongPasswordsAreCountedThenRefusedUntilTheLockEnds() throws Exception {
        for (int i = 0; i < 5; i++) {
            Reply reply = new Reply();
            assertTrue(admit(basic("ada", "guess" + i), Roles.READERS, reply).isEmpty());
            assertEquals(401, reply.status, "failure " + (i + 1) + " is answered as wrong");
        }
        Reply locked = new Reply();
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, locked).isEmpty(), "even the right password waits for the lock");
        assertEquals(429, locked.status);
        assertEquals("60", locked.headers.get("Retry-After"));
        assertEquals("too many failed logins (address 192.0.2.1): try again in 60 s", locked.error());

        address = "198.51.100.7";
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, new Reply()).isPresent(), "another address is not locked");

        address = "192.0.2.1";
        now.addAndGet(60_000_000_000L);
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, new Reply()).isPresent(), "the lock has ended");
        for (int i = 0; i < 5; i++) {
            admit(basic("ada", "again" + i), Roles.READERS, new Reply());
        }
        Reply second = new Reply();
        admit(basic("ada", "secret"), Roles.READERS, second);
        assertEquals(429, second.status);
        assertEquals("60", second.headers.get("Retry-After"), "a success brings the address's next lock back to 60 s");
        String metrics = metrics();
        assertTrue(metrics.contains("amoskys_http_login_failures_total 10\n"), metrics);
        assertTrue(metrics.contains("amoskys_http_login_throttled_total 2\n"), metrics);
        assertTrue(metrics.contains("amoskys_http_logins_total 2\n"), metrics);
    }

    @Test
    void loggingInAsOneselfDoesNotResetTheGuessesOfOthersPasswords() throws Exception {
        for (int i = 0; i < 4; i++) { // one short of the address's limit, each guess at another user
            Reply reply = new Reply();
            assertTrue(admit(basic("user" + i, "guess"), Roles.READERS, reply).isEmpty());
            assertEquals(401, reply.status, "guess " + (i + 1));
        }
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, new Reply()).isPresent(), "the guesser's own account logs in");
        Reply fifth = new Reply();
        assertTrue(admit(basic("user4", "guess"), Roles.READERS, fifth).isEmpty());
        assertEquals(401, fifth.status);
        Reply locked = new Reply();
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, locked).isEmpty());
        assertEquals(429, locked.status, "the fifth guess locked the address, whatever logged in between");
        assertEquals("too many failed logins (address 192.0.2.1): try again in 60 s", locked.error());
    }

    @Test
    void aUserGuessedFromManyAddressesIsLockedTooAndLocksGrow() throws Exception {
        for (int i = 0; i < 5 * LoginThrottle.USER_FACTOR; i++) {
            address = "203.0.113." + i; // one failure per address: no address lock
            admit(basic("otto", "guess" + i), Roles.READERS, new Reply());
        }
        address = "203.0.113.200";
        Reply reply = new Reply();
        assertTrue(admit(basic("otto", "secret"), Roles.READERS, reply).isEmpty());
        assertEquals(429, reply.status);
        assertEquals("too many failed logins (user otto): try again in 60 s", reply.error());
        assertTrue(admit(basic("ada", "secret"), Roles.READERS, new Reply()).isPresent(), "other users are not locked");

        now.addAndGet(61_000_000_000L);
        for (int i = 0; i < 5 * LoginThrottle.USER_FACTOR; i++) {
            address = "203.0.113." + (100 + i);
            admit(basic("otto", "more" + i), Roles.READERS, new Reply());
        }
        Reply longer = new Reply();
        admit(basic("otto", "secret"), Roles.READERS, longer);
        assertEquals("120", longer.headers.get("Retry-After"), "the second lock doubles");
    }

    @Test
    void theThrottleForgetsTheOldestRecordsToStayBounded() {
        LoginThrottle small = new LoginThrottle(5, 300, 60, 900, 10, now::get);
        for (int i = 0; i < 100; i++) {
            small.failed("10.0.0." + i, null);
        }
        StringBuilder out = new StringBuilder();
        small.writePrometheus(out);
        assertTrue(out.toString().contains("amoskys_http_login_tracked 10\n"), out.toString());
        assertTrue(out.toString().contains("amoskys_http_login_forgotten_total 90\n"), out.toString());
    }

    @Test
    void aUserWithoutTheRolesIsForbiddenNotChallenged() throws Exception {
        Reply reply = new Reply();
        assertTrue(admit(basic("eve", "secret"), Roles.READERS, reply).isEmpty());
        assertEquals(403, reply.status);
        assertNull(reply.headers.get("WWW-Authenticate"));
        assertEquals("GET /amoskys/api/v1/agents needs a user in one of the roles admin, operator, viewer; eve is not", reply.error());

        Reply viewer = new Reply();
        assertTrue(admit(basic("vera", "secret"), Roles.ADMINS, viewer).isEmpty(), "a viewer may not change the trust store");
        assertEquals(403, viewer.status);
        assertEquals("GET /amoskys/api/v1/agents needs a user in role admin; vera is not", viewer.error());
    }

    @Test
    void aFloodOfNewAddressesDoesNotWashOutALockAndLocksNeverOverflow() {
        LoginThrottle small = new LoginThrottle(5, 300, 60, 900, 30, now::get);
        for (int i = 0; i < 5 * LoginThrottle.USER_FACTOR; i++) {
            small.failed("198.51.100." + i, "admin");
        }
        for (int i = 0; i < 500; i++) {
            small.failed("203.0.113." + i % 250 + "." + i, "user" + i);
        }
        LoginThrottle.Refusal refusal = small.check("192.0.2.99", "admin");
        assertTrue(refusal != null && refusal.key().equals("user admin"), "the user's lock outlived the flood: " + refusal);

        LoginThrottle patient = new LoginThrottle(1, 300, 60, 900, 30, now::get);
        for (int i = 0; i < 40; i++) { // forty locks in a row, each waited out
            patient.failed("192.0.2.7", null);
            LoginThrottle.Refusal lock = patient.check("192.0.2.7", null);
            assertTrue(lock != null && lock.retryAfterSeconds() >= 60 && lock.retryAfterSeconds() <= 900, "lock " + i + ": " + lock);
            now.addAndGet(lock.retryAfterSeconds() * 1_000_000_000L);
        }
    }
}
