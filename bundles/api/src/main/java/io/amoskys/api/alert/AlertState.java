package io.amoskys.api.alert;

import java.util.Locale;

/**
 * An alert's place in its lifecycle: {@code new → acknowledged → resolved | false_positive}; a new
 * alert may also be resolved or marked a false positive at once. Resolved and false positive are
 * final.
 */
public enum AlertState {
    NEW("new"),
    ACKNOWLEDGED("acknowledged"),
    RESOLVED("resolved"),
    FALSE_POSITIVE("false_positive");

    private final String label;

    AlertState(String label) {
        this.label = label;
    }

    /** The name used in DTOs, the shell and the REST API. */
    public String label() {
        return label;
    }

    /** New or acknowledged: further alerts of its rule and entity are grouped into it. */
    public boolean isOpen() {
        return this == NEW || this == ACKNOWLEDGED;
    }

    /** Whether the lifecycle allows going from this state to {@code to}. */
    public boolean canBecome(AlertState to) {
        return switch (this) {
            case NEW -> to != NEW;
            case ACKNOWLEDGED -> to == RESOLVED || to == FALSE_POSITIVE;
            case RESOLVED, FALSE_POSITIVE -> false;
        };
    }

    /**
     * The state named {@code text}: its label or constant name in any case, with {@code -} for
     * {@code _}; also {@code ack} and {@code fp}.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static AlertState of(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "ack", "acked" -> {
                return ACKNOWLEDGED;
            }
            case "fp" -> {
                return FALSE_POSITIVE;
            }
            default -> {
                for (AlertState s : values()) {
                    if (s.label.equals(t)) {
                        return s;
                    }
                }
            }
        }
        throw new IllegalArgumentException("unknown alert state '" + text + "': new, acknowledged, resolved or false_positive");
    }
}
