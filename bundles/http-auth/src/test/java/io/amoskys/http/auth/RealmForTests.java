package io.amoskys.http.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * A JAAS realm "karaf" in the test JVM, standing in for Karaf's: every user's password is
 * "secret", and each gets the roles listed here as Karaf's login modules give them.
 */
public final class RealmForTests implements LoginModule {
    static final Map<String, Set<String>> USERS = Map.of(
            "vera", Set.of(Roles.VIEWER),
            "otto", Set.of(Roles.OPERATOR, "ssh"),
            "ada", Set.of(Roles.ADMIN, Roles.VIEWER, "manager"),
            "eve", Set.of("ssh"));

    private Subject subject;
    private CallbackHandler handler;
    private String user;

    public static void install() {
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !name.equals(JaasLogin.KARAF_REALM) ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        RealmForTests.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        });
    }

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException(e.toString());
        }
        if (!USERS.containsKey(name.getName()) || !"secret".equals(new String(password.getPassword()))) {
            throw new FailedLoginException("wrong user or password");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        USERS.get(user).forEach(role -> subject.getPrincipals().add(new RolePrincipal(role)));
        return true;
    }

    @Override
    public boolean abort() {
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(List.copyOf(subject.getPrincipals(RolePrincipal.class)));
        return true;
    }
}
