package io.amoskys.http.auth;

import java.util.Set;

/** A user whose credentials the realm accepted, with every role it gave them. */
public record AuthenticatedUser(String name, Set<String> roles) {
    public AuthenticatedUser {
        roles = Set.copyOf(roles);
    }

    public boolean hasAnyRole(Set<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }
}
