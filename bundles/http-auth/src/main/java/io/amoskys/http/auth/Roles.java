package io.amoskys.http.auth;

import java.util.Set;

/**
 * The Karaf roles the REST APIs admit, named once. A user holds them directly or through a group
 * of {@code etc/users.properties} (the shipped {@code admingroup} has {@code admin} and
 * {@code viewer}).
 */
public final class Roles {
    /** Everything, including the trust store. */
    public static final String ADMIN = "admin";
    /** Runs the platform; reads everything. */
    public static final String OPERATOR = "operator";
    /** Reads the platform's state, changes nothing. */
    public static final String VIEWER = "viewer";

    /** May read status: agents, devices. */
    public static final Set<String> READERS = Set.of(VIEWER, OPERATOR, ADMIN);
    /** May act on findings: acknowledge, resolve, suppress alerts. */
    public static final Set<String> OPERATORS = Set.of(OPERATOR, ADMIN);
    /** May change the platform itself: the trust store, models, training. */
    public static final Set<String> ADMINS = Set.of(ADMIN);

    private Roles() {}
}
