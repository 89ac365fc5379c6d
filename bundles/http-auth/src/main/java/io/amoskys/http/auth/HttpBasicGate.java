package io.amoskys.http.auth;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Lets a request through when it carries HTTP Basic credentials of a Karaf user holding one of
 * the roles an API admits; otherwise answers it: 401 with the challenge when the credentials are
 * missing or wrong, 403 when the user lacks the roles.
 */
public final class HttpBasicGate {
    /** Sent with every 401, so that browsers and curl know to answer with a Karaf user. */
    public static final String CHALLENGE = "Basic realm=\"amoskys\"";

    private final JaasLogin login = new JaasLogin(JaasLogin.KARAF_REALM);

    /** The user when admitted; empty when the 401 or 403 has been sent instead. */
    public Optional<AuthenticatedUser> admit(HttpServletRequest request, HttpServletResponse response, Set<String> roles)
            throws IOException {
        String wanted = (roles.size() == 1 ? "role " : "one of the roles ") + String.join(", ", new TreeSet<>(roles));
        Optional<AuthenticatedUser> user = login.authenticate(request.getHeader("Authorization"));
        if (user.isEmpty()) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            JsonReply.error(response, 401, "log in with HTTP Basic as a Karaf user in " + wanted);
        } else if (!user.get().hasAnyRole(roles)) {
            JsonReply.error(response, 403, request.getMethod() + " " + request.getRequestURI() + " needs a user in " + wanted
                    + "; " + user.get().name() + " is not");
            return Optional.empty();
        }
        return user;
    }
}
