package io.amoskys.http.auth;

import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * The roles of the user running a shell command: Karaf runs each command as its user's JAAS
 * subject. For commands whose actions need more than the command's ACL
 * ({@code etc/org.apache.karaf.command.acl.amoskys.cfg}) gives, such as a viewer who may list
 * alerts but not acknowledge them: the same roles as the REST API's.
 */
public final class ShellRoles {
    private ShellRoles() {}

    /** The running command's user's roles; none outside a shell command. */
    @SuppressWarnings("removal") // Karaf 4.4 hands the user over as the access control context's subject
    public static Set<String> current() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        return subject == null ? Set.of()
                : subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName).collect(Collectors.toSet());
    }

    /** @throws SecurityException naming the action and the roles it needs, unless the user holds one of them */
    public static void require(Set<String> roles, String action) {
        Set<String> held = current();
        if (roles.stream().noneMatch(held::contains)) {
            throw new SecurityException(action + " needs one of the roles " + String.join(", ", new TreeSet<>(roles))
                    + (held.isEmpty() ? "; this shell user has none" : "; this shell user has " + String.join(", ", new TreeSet<>(held))));
        }
    }
}
