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
    private final HttpBasicGate gate = new HttpBasicGate();

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

    private static HttpServletRequest request(String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpBasicGateTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> "Authorization".equals(args[0]) ? authorization : null;
                    case "getMethod" -> "GET";
                    case "getRequestURI" -> "/amoskys/api/v1/agents";
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
        for (String authorization : new String[] {null, "Bearer x", "Basic ???", basic("", "secret"), basic("ada", "wrong"),
                basic("nobody", "secret")}) {
            Reply reply = new Reply();
            assertTrue(admit(authorization, Roles.READERS, reply).isEmpty(), authorization);
            assertEquals(401, reply.status, authorization);
            assertEquals("Basic realm=\"amoskys\"", reply.headers.get("WWW-Authenticate"));
            assertEquals("application/json; charset=utf-8", reply.headers.get("Content-Type"));
            assertEquals("log in with HTTP Basic as a Karaf user in one of the roles admin, operator, viewer", reply.error());
        }
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
}
