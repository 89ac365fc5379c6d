package io.amoskys.responder.process;

import io.amoskys.api.event.Alert;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The process an alert names: its pid and, when the alert says (a process entity
 * {@code process:HOST:PID:STARTTICKS}, as the process agent writes it), its start time.
 */
record AlertedProcess(int pid, Long startTicks) {
    private static final String ENTITY_PREFIX = "process:";
    /** The process agent's id on this host is this and the host name (io.amoskys.agent.process). */
    static final String LOCAL_AGENT_PREFIX = "process@";

    /**
     * @param groupByKey {@code null} to read the alert's entity
     * @param hostname this machine's name: a process of another host is not ours to signal
     * @throws IllegalArgumentException when the alert names no local process, or pid 0 or 1
     */
    static AlertedProcess of(Alert alert, String groupByKey, String hostname) {
        requireLocalEvidence(alert, hostname);
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

    /**
     * Every event behind the alert (its own and its scores') must come from this host's process
     * agent. An alert's pid, host and entity are what the agents that made its events wrote: a
     * remote agent, or one on another host, could otherwise name any local pid, and a pid of
     * another host would be taken for the local process that has it.
     */
    static void requireLocalEvidence(Alert alert, String hostname) {
        String local = LOCAL_AGENT_PREFIX + hostname;
        Set<String> evidence = new LinkedHashSet<>(alert.eventIds());
        alert.scores().forEach(s -> evidence.addAll(s.eventIds()));
        if (evidence.isEmpty()) {
            throw new IllegalArgumentException("alert " + alert.id() + " names no events: a process is acted on only for what "
                    + "this host's process agent (" + local + ") saw");
        }
        for (String eventId : evidence) {
            int colon = eventId.lastIndexOf(':');
            String agent = colon < 0 ? eventId : eventId.substring(0, colon);
            if (!agent.equalsIgnoreCase(local)) {
                throw new IllegalArgumentException("alert " + alert.id() + " rests on event " + eventId + " of agent '" + agent
                        + "': a process is acted on only for what this host's process agent (" + local + ") saw");
            }
        }
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
