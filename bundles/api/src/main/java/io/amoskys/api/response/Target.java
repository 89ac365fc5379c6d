package io.amoskys.api.response;

import java.util.Objects;

/**
 * What an action is aimed at. The platform checks addresses and processes against its
 * allowlists before anything runs.
 */
public final class Target {
    /** The kinds of target the guardrails understand. */
    public enum Kind {
        /** An IPv4 or IPv6 address, in its usual text form. */
        ADDRESS,
        /** A local process: {@code PID} or {@code PID:SHA256-OF-EXECUTABLE}. */
        PROCESS,
        /** A switch port: {@code DEVICE/IFINDEX}. */
        PORT,
        /** A person or system that is told (a URL, a mailbox, a topic). */
        RECIPIENT
    }

    private final Kind kind;
    private final String value;

    private Target(Kind kind, String value) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.value = Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a " + kind + " target needs a value");
        }
    }

    public static Target of(Kind kind, String value) {
        return new Target(kind, value);
    }

    public static Target address(String address) {
        return new Target(Kind.ADDRESS, address);
    }

    public static Target recipient(String recipient) {
        return new Target(Kind.RECIPIENT, recipient);
    }

    public Kind kind() {
        return kind;
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && t.kind == kind && t.value.equals(value);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
    }
}
