package io.amoskys.http.auth;

import io.amoskys.api.admin.MetricsSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import javax.servlet.http.Cookie;
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
 * Lets a request through when it comes from a Karaf user holding one of the roles an API admits,
 * proved by HTTP Basic credentials (scripts, curl) or by a browser session cookie
 * ({@link BrowserSessions}, opened at {@code /amoskys/api/v1/session}); otherwise answers it: 401
 * when the credentials are missing or wrong or the session is over, 403 when the user lacks the
 * roles or a session's state-changing request lacks its CSRF token, 429 while its address or user
 * is locked after failed logins ({@link LoginThrottle}). One gate serves every API, so failures
 * count across them; servlets reference it as a service.
 */
@Component(service = {HttpBasicGate.class, MetricsSource.class}, configurationPid = HttpBasicGate.PID)
@Designate(ocd = HttpBasicGate.Config.class)
public final class HttpBasicGate implements MetricsSource {
    static final String PID = "io.amoskys.http.auth";
    /** Sent with every 401, so that browsers and curl know to answer with a Karaf user. */
    public static final String CHALLENGE = "Basic realm=\"amoskys\"";
    /** The browser session's cookie. */
    public static final String SESSION_COOKIE = "AMOSKYS_SESSION";
    /** The header in which a session's state-changing request echoes the session's CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Sent by the dashboard's own requests: a 401 then carries no challenge, so no browser login dialog pops up. */
    public static final String NO_CHALLENGE_HEADER = "X-Requested-With";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
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

        @AttributeDefinition(description = "A browser session ends after this many seconds without a request")
        long sessionIdleSeconds() default 1800;

        @AttributeDefinition(description = "A browser session ends this many seconds after its login, however busy")
        long sessionMaxSeconds() default 43_200;

        @AttributeDefinition(description = "Most browser sessions open at once (one more ends the least recently used)")
        int maxSessions() default 1000;

        @AttributeDefinition(description = "Most browser sessions of one user (one more ends that user's least recently used)")
        int maxSessionsPerUser() default 16;

        @AttributeDefinition(description = "Reverse proxies in front of the platform (TLS terminators), as addresses or CIDR "
                + "ranges: from them the client is the nearest X-Forwarded-For address that is no trusted proxy, and "
                + "X-Forwarded-Proto: https marks the request secure. Empty: the connection's peer is the client")
        String[] trustedProxies() default {};
    }

    private final JaasLogin login;
    private final LoginThrottle throttle;
    private final BrowserSessions sessions;
    private final Accounts accounts;
    private final ClientAddress clients;
    /** Entries of trustedProxies that are no address or range, left out at activation. */
    private final int badTrustedProxies;
    private final LongAdder csrfRefused = new LongAdder();
    private final LongAdder accountChanged = new LongAdder();

    @Activate
    public HttpBasicGate(Config config) {
        this(new JaasLogin(JaasLogin.KARAF_REALM), new LoginThrottle(config.maxFailures(), config.windowSeconds(),
                config.lockoutSeconds(), config.maxLockoutSeconds(), config.maxTracked(), System::nanoTime),
                new BrowserSessions(config.maxSessions(), config.maxSessionsPerUser(), config.sessionIdleSeconds(),
                        config.sessionMaxSeconds(), System::nanoTime),
                new Accounts(Path.of(System.getProperty("karaf.etc", "etc")).resolve("users.properties")),
                config.trustedProxies());
    }

    /** With the default session settings (30 minutes idle, 12 hours at most, 1000 open, 16 per user). */
    public HttpBasicGate(JaasLogin login, LoginThrottle throttle) {
        this(login, throttle, new BrowserSessions(1000, 16, 1800, 43_200, System::nanoTime));
    }

    public HttpBasicGate(JaasLogin login, LoginThrottle throttle, BrowserSessions sessions) {
        this(login, throttle, sessions, Accounts.UNCHECKED);
    }

    HttpBasicGate(JaasLogin login, LoginThrottle throttle, BrowserSessions sessions, Accounts accounts) {
        this(login, throttle, sessions, accounts, new String[0]);
    }

    HttpBasicGate(JaasLogin login, LoginThrottle throttle, BrowserSessions sessions, Accounts accounts,
            String[] trustedProxies) {
        this.login = login;
        this.throttle = throttle;
        this.sessions = sessions;
        this.accounts = accounts;
        // A wrong entry is left out, loudly: the rest still serve, and a proxy left out only means one shared address.
        List<String> good = new ArrayList<>();
        int bad = 0;
        // A .cfg file gives "a, b" as one string: each value is split at commas and spaces.
        for (String entry : java.util.Arrays.stream(trustedProxies == null ? new String[0] : trustedProxies)
                .flatMap(v -> java.util.Arrays.stream(v.split("[,\\s]+"))).filter(v -> !v.isEmpty()).toList()) {
            try {
                ClientAddress.trusting(entry);
                good.add(entry);
            } catch (IllegalArgumentException e) {
                LOG.error("{} in {}.cfg: left out; requests through it count as from the proxy itself", e.getMessage(), PID);
                bad++;
            }
        }
        this.clients = ClientAddress.trusting(good.toArray(String[]::new));
        this.badTrustedProxies = bad;
    }

    /**
     * Who sends a request, through the trusted proxies: the address failed logins count against,
     * and whether the request came over TLS.
     *
     * @since 2.5
     */
    public ClientAddress clients() {
        return clients;
    }

    public BrowserSessions sessions() {
        return sessions;
    }

    /** The user when admitted; empty when the 401, 403 or 429 has been sent instead. */
    public Optional<AuthenticatedUser> admit(HttpServletRequest request, HttpServletResponse response, Set<String> roles)
            throws IOException {
        String wanted = (roles.size() == 1 ? "role " : "one of the roles ") + String.join(", ", new TreeSet<>(roles));
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            String cookie = sessionCookie(request);
            if (cookie != null) {
                return admitSession(cookie, request, response, roles, wanted);
            }
            challenge(request, response);
            JsonReply.error(response, 401, "log in as a Karaf user in " + wanted + ": HTTP Basic, or a browser session "
                    + "(POST /amoskys/api/v1/session)");
            return Optional.empty();
        }
        String address = clients.of(request);
        String claimed = JaasLogin.userOf(authorization);
        if (throttled(address, claimed, response)) {
            return Optional.empty();
        }
        Optional<AuthenticatedUser> user = login.authenticate(authorization);
        if (user.isEmpty()) {
            throttle.failed(address, claimed);
            LOG.warn("Failed HTTP login from {} as {} on {} {}", address, claimed == null ? "(unreadable credentials)" : claimed,
                    request.getMethod(), request.getRequestURI());
            challenge(request, response);
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

    /**
     * Checks a browser login as {@link #admit} checks Basic credentials (throttled, counted) and
     * opens a session; empty when the 401 or 429 has been sent instead.
     */
    public Optional<BrowserSessions.Session> login(HttpServletRequest request, HttpServletResponse response, String user,
            char[] password) throws IOException {
        String address = clients.of(request);
        if (throttled(address, user, response)) {
            return Optional.empty();
        }
        Optional<AuthenticatedUser> authenticated = login.authenticate(user, password);
        if (authenticated.isEmpty()) {
            throttle.failed(address, user);
            LOG.warn("Failed browser login from {} as {}", address, user);
            JsonReply.error(response, 401, "wrong user name or password");
            return Optional.empty();
        }
        throttle.succeeded(address, user);
        BrowserSessions.Session session = sessions.open(authenticated.get(), accounts.atLogin(user));
        LOG.info("{} logged in from {} (browser session)", user, address);
        return Optional.of(session);
    }

    /** Whether the address or user is locked after failed logins; if so the 429 has been sent. */
    private boolean throttled(String address, String user, HttpServletResponse response) throws IOException {
        LoginThrottle.Refusal refusal = throttle.check(address, user);
        if (refusal == null) {
            return false;
        }
        response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        JsonReply.error(response, 429, "too many failed logins (" + refusal.key() + "): try again in "
                + refusal.retryAfterSeconds() + " s");
        return true;
    }

    /** The session the request's cookie names, if it is still open and its user's account unchanged. */
    public Optional<BrowserSessions.Session> session(HttpServletRequest request) {
        return stillOpen(sessionCookie(request));
    }

    /**
     * The session of that id if it is still open, marked used; ended when its user's account
     * changed since the login (removed, a new password, other roles).
     *
     * @since 2.4
     */
    public Optional<BrowserSessions.Session> stillOpen(String sessionId) {
        Optional<BrowserSessions.Session> session = sessions.use(sessionId);
        if (session.isPresent() && !accounts.unchanged(session.get().user().name(), session.get().account)) {
            sessions.close(sessionId);
            accountChanged.increment();
            LOG.info("Ended a browser session of {}: the account changed since the login", session.get().user().name());
            return Optional.empty();
        }
        return session;
    }

    /**
     * What a stream opened with HTTP Basic remembers of {@code user}'s account, to ask
     * {@link #accountUnchanged} later: the account is checked at each request, a stream has one.
     *
     * @since 2.4
     */
    public String accountAtLogin(String user) {
        return accounts.atLogin(user);
    }

    /**
     * Whether {@code user}'s account is as {@link #accountAtLogin} found it (not removed, same
     * password and roles).
     *
     * @since 2.4
     */
    public boolean accountUnchanged(String user, String remembered) {
        boolean unchanged = accounts.unchanged(user, remembered);
        if (!unchanged) {
            accountChanged.increment();
        }
        return unchanged;
    }

    private Optional<AuthenticatedUser> admitSession(String cookie, HttpServletRequest request, HttpServletResponse response,
            Set<String> roles, String wanted) throws IOException {
        Optional<BrowserSessions.Session> session = stillOpen(cookie);
        if (session.isEmpty()) {
            JsonReply.error(response, 401, "the session has expired or ended, or its account changed: log in again");
            return Optional.empty();
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && !carriesCsrfToken(session.get(), request)) {
            csrfRefused.increment();
            LOG.warn("Refused {} {} of {}'s session from {}: no valid {} header", request.getMethod(), request.getRequestURI(),
                    session.get().user().name(), clients.of(request), CSRF_HEADER);
            JsonReply.error(response, 403, request.getMethod() + " in a browser session needs the session's CSRF token in the "
                    + CSRF_HEADER + " header");
            return Optional.empty();
        }
        AuthenticatedUser user = session.get().user();
        if (!user.hasAnyRole(roles)) {
            JsonReply.error(response, 403, request.getMethod() + " " + request.getRequestURI() + " needs a user in " + wanted
                    + "; " + user.name() + " is not");
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /** Whether the request echoes the session's CSRF token (compared in constant time). */
    public static boolean carriesCsrfToken(BrowserSessions.Session session, HttpServletRequest request) {
        String given = request.getHeader(CSRF_HEADER);
        return given != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    static String sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (SESSION_COOKIE.equals(c.getName()) && !c.getValue().isEmpty()) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    /** The Basic challenge, unless the dashboard asked not to get one (a browser would pop its login dialog). */
    private static void challenge(HttpServletRequest request, HttpServletResponse response) {
        if (request.getHeader(NO_CHALLENGE_HEADER) == null) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
        }
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        throttle.writePrometheus(out);
        out.append("# HELP amoskys_http_sessions Browser sessions open now\n# TYPE amoskys_http_sessions gauge\n")
                .append("amoskys_http_sessions ").append(sessions.size()).append('\n');
        counter(out, "amoskys_http_sessions_opened_total", "Browser sessions opened by a login", sessions.opened.sum());
        counter(out, "amoskys_http_sessions_expired_total", "Browser sessions ended by idleness or age", sessions.expired.sum());
        counter(out, "amoskys_http_sessions_evicted_total", "Browser sessions ended because too many were open", sessions.evicted.sum());
        counter(out, "amoskys_http_csrf_refused_total", "State-changing session requests refused for a missing or wrong CSRF token",
                csrfRefused.sum());
        counter(out, "amoskys_http_account_changed_total", "Browser sessions and live streams ended because their user's account "
                + "changed since the login (removed, new password, other roles)", accountChanged.sum());
        out.append("# HELP amoskys_http_trusted_proxies_refused Entries of trustedProxies left out as no address or range\n")
                .append("# TYPE amoskys_http_trusted_proxies_refused gauge\namoskys_http_trusted_proxies_refused ")
                .append(badTrustedProxies).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
