package io.amoskys.http.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * HTTP Basic credentials checked against a Karaf JAAS realm: the same users, groups and password
 * digests as the shell, so there is one place to manage who may do what.
 */
public final class JaasLogin {
    /** The realm of Karaf's shell users ({@code etc/users.properties}). */
    public static final String KARAF_REALM = "karaf";

    private final String realm;

    public JaasLogin(String realm) {
        this.realm = realm;
    }

    /**
     * The user name an {@code Authorization} header claims, checked or not (for counting failed
     * logins per user); null when the header is no readable HTTP Basic.
     */
    public static String userOf(String authorization) {
        String decoded = decode(authorization);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        return colon < 1 ? null : decoded.substring(0, colon);
    }

    private static String decode(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The user and its roles when the header carries valid credentials; empty otherwise. */
    public Optional<AuthenticatedUser> authenticate(String authorization) {
        String decoded = decode(authorization);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon < 1) {
            return Optional.empty();
        }
        return authenticate(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    /** The user and its roles when the password is theirs; empty otherwise. */
    public Optional<AuthenticatedUser> authenticate(String user, char[] password) {
        Subject subject = new Subject();
        // The JAAS configuration loads Karaf's proxy login module through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JaasLogin.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            login.login();
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                    .collect(Collectors.toSet());
            login.logout();
            return Optional.of(new AuthenticatedUser(user, roles));
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
