package io.amoskys.http.auth;

import io.amoskys.api.admin.MetricsSource;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through when it carries HTTP Basic credentials of a Karaf user holding one of
 * the roles an API admits; otherwise answers it: 401 with the challenge when the credentials are
 * missing or wrong, 403 when the user lacks the roles, 429 while its address or user is locked
 * after failed logins ({@link LoginThrottle}). One gate serves every API, so failures count
 * across them; servlets reference it as a service.
 */
@Component(service = {HttpBasicGate.class, MetricsSource.class}, configurationPid = HttpBasicGate.PID)
@Designate(ocd = HttpBasicGate.Config.class)
public final class HttpBasicGate implements MetricsSource {
    static final String PID = "io.amoskys.http.auth";
    /** Sent with every 401, so that browsers and curl know to answer with a Karaf user. */
    public static final String CHALLENGE = "Basic realm=\"amoskys\"";
    private static final Logger LOG = LoggerFactory.getLogger(HttpBasicGate.class);

    @ObjectClassDefinition(name = "AMOSKYS HTTP login")
    public @interface Config {
        @AttributeDefinition(description = "Failed logins from one address (or for one user at it) within the window that lock it "
                + "(a user alone is locked after four times as many, from any addresses)")
        int maxFailures() default 5;

        @AttributeDefinition(description = "Seconds over which failed logins are counted")
        long windowSeconds() default 300;

        @AttributeDefinition(description = "Seconds of the first lock; each further lock doubles it")
        long lockoutSeconds() default 60;

        @AttributeDefinition(description = "Longest lock, in seconds")
        long maxLockoutSeconds() default 900;

        @AttributeDefinition(description = "Most addresses and users whose failures are remembered (the oldest go first)")
        int maxTracked() default 10_000;
    }

    private final JaasLogin login;
    private final LoginThrottle throttle;

    @Activate
    public HttpBasicGate(Config config) {
        this(new JaasLogin(JaasLogin.KARAF_REALM), new LoginThrottle(config.maxFailures(), config.windowSeconds(),
                config.lockoutSeconds(), config.maxLockoutSeconds(), config.maxTracked(), System::nanoTime));
    }

    public HttpBasicGate(JaasLogin login, LoginThrottle throttle) {
        this.login = login;
        this.throttle = throttle;
    }

    /** The user when admitted; empty when the 401, 403 or 429 has been sent instead. */
    public Optional<AuthenticatedUser> admit(HttpServletRequest request, HttpServletResponse response, Set<String> roles)
            throws IOException {
        String wanted = (roles.size() == 1 ? "role " : "one of the roles ") + String.join(", ", new TreeSet<>(roles));
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            JsonReply.error(response, 401, "log in with HTTP Basic as a Karaf user in " + wanted);
            return Optional.empty();
        }
        String address = String.valueOf(request.getRemoteAddr());
        String claimed = JaasLogin.userOf(authorization);
        LoginThrottle.Refusal refusal = throttle.check(address, claimed);
        if (refusal != null) {
            response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            JsonReply.error(response, 429, "too many failed logins (" + refusal.key() + "): try again in "
                    + refusal.retryAfterSeconds() + " s");
            return Optional.empty();
        }
        Optional<AuthenticatedUser> user = login.authenticate(authorization);
        if (user.isEmpty()) {
            throttle.failed(address, claimed);
            LOG.warn("Failed HTTP login from {} as {} on {} {}", address, claimed == null ? "(unreadable credentials)" : claimed,
                    request.getMethod(), request.getRequestURI());
            response.setHeader("WWW-Authenticate", CHALLENGE);
            JsonReply.error(response, 401, "wrong user name or password: log in with HTTP Basic as a Karaf user in " + wanted);
            return Optional.empty();
        }
        throttle.succeeded(address, user.get().name());
        if (!user.get().hasAnyRole(roles)) {
            JsonReply.error(response, 403, request.getMethod() + " " + request.getRequestURI() + " needs a user in " + wanted
                    + "; " + user.get().name() + " is not");
            return Optional.empty();
        }
        return user;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        throttle.writePrometheus(out);
    }
}
