package io.amoskys.responder.process;

import io.amoskys.api.event.Alert;
import java.util.Locale;

/**
 * The process an alert names: its pid and, when the alert says (a process entity
 * {@code process:HOST:PID:STARTTICKS}, as the process agent writes it), its start time.
 */
record AlertedProcess(int pid, Long startTicks) {
    private static final String ENTITY_PREFIX = "process:";

    /**
     * @param groupByKey {@code null} to read the alert's entity
     * @param hostname this machine's name: a process of another host is not ours to signal
     * @throws IllegalArgumentException when the alert names no local process, or pid 0 or 1
     */
    static AlertedProcess of(Alert alert, String groupByKey, String hostname) {
        String host = alert.groupBy().get("host");
        if (host != null && !host.equalsIgnoreCase(hostname)) {
            throw new IllegalArgumentException("alert " + alert.id() + " is about host '" + host + "', this is '" + hostname + "'");
        }
        if (groupByKey != null) {
            String value = alert.groupBy().get(groupByKey);
            if (value == null) {
                throw new IllegalArgumentException("alert " + alert.id() + " of rule " + alert.rule()
                        + " has no group-by value '" + groupByKey + "' (it has " + alert.groupBy().keySet() + ")");
            }
            return value.startsWith(ENTITY_PREFIX) ? entity(value, hostname) : new AlertedProcess(pid(value), null);
        }
        return entity(alert.entityId(), hostname);
    }

    /** {@code process:HOST:PID:STARTTICKS}, or a bare pid. */
    private static AlertedProcess entity(String entity, String hostname) {
        if (!entity.startsWith(ENTITY_PREFIX)) {
            return new AlertedProcess(pid(entity), null);
        }
        // The host name holds no ':'; pid and start ticks are the last two fields.
        String[] parts = entity.substring(ENTITY_PREFIX.length()).split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("entity '" + entity + "' is not process:HOST:PID:STARTTICKS");
        }
        if (!parts[0].toLowerCase(Locale.ROOT).equals(hostname)) {
            throw new IllegalArgumentException("entity '" + entity + "' is a process of host '" + parts[0]
                    + "', this is '" + hostname + "'");
        }
        try {
            return new AlertedProcess(pid(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entity '" + entity + "' has no numeric start time", e);
        }
    }

    private static int pid(String text) {
        int pid;
        try {
            pid = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is no process id", e);
        }
        if (pid <= 1) {
            throw new IllegalArgumentException("process " + pid + " is init or no process: never acted on");
        }
        return pid;
    }
}
