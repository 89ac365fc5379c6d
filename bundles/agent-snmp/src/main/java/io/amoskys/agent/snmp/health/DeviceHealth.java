package io.amoskys.agent.snmp.health;

import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.poll.PollFailure;
import io.amoskys.api.admin.DeviceDTO;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How one device is doing: state, last answer, latency, errors by reason, events per second.
 * Updated by polls and traps, read by {@code amoskys:devices} and {@code /metrics}. Thread-safe.
 */
public final class DeviceHealth {
    /** What the last poll showed. */
    public enum State {
        /** Not polled yet. */
        UNKNOWN("unknown"),
        /** Answered, without errors. */
        UP("up"),
        /** Did not answer. */
        DOWN("down"),
        /** Answered with errors: a report (wrong credentials), an error status, malformed or wrongly typed values. */
        ERROR("error");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String name;
    private final String address;
    private final EventRate events = new EventRate();
    private final Map<ErrorReason, Long> errors = new EnumMap<>(ErrorReason.class);
    private State state = State.UNKNOWN;
    private long lastSeenMillis;
    private long lastPollMillis;
    private double latencyMillis = -1;
    private String lastError;
    private long polls;
    private long failedPolls;
    private long skippedPolls;
    private long reboots;
    private long wraps;
    private int missingObjects;

    public DeviceHealth(String name, String address) {
        this.name = name;
        this.address = address;
    }

    /** A poll that got answers; {@code problems} found in them make the state {@code error}. Returns the state before. */
    public synchronized State answered(long nowMillis, double latencyMillis, List<PollFailure> problems, int missing,
            boolean rebooted, int wraps) {
        State before = state;
        polls++;
        lastPollMillis = nowMillis;
        lastSeenMillis = nowMillis;
        this.latencyMillis = latencyMillis;
        this.missingObjects = missing;
        this.wraps += wraps;
        if (rebooted) {
            reboots++;
        }
        problems.forEach(this::count);
        state = problems.isEmpty() ? State.UP : State.ERROR;
        return before;
    }

    /** A poll without a usable answer. Returns the state before. */
    public synchronized State failed(long nowMillis, PollFailure failure) {
        State before = state;
        polls++;
        failedPolls++;
        lastPollMillis = nowMillis;
        count(failure);
        state = failure.reason() == ErrorReason.TIMEOUT || failure.reason() == ErrorReason.SEND ? State.DOWN : State.ERROR;
        return before;
    }

    /** A poll not started because the previous one was still running (the interval is too short). */
    public synchronized void skipped() {
        skippedPolls++;
    }

    /** An error outside a poll (a dropped event batch). */
    public synchronized void error(PollFailure failure) {
        count(failure);
    }

    /** A trap or inform from the device: it is alive. */
    public synchronized void heardFrom(long nowMillis) {
        lastSeenMillis = Math.max(lastSeenMillis, nowMillis);
    }

    public void events(int count, long nowMillis) {
        events.add(count, nowMillis);
    }

    private void count(PollFailure f) {
        errors.merge(f.reason(), 1L, Long::sum);
        lastError = f.getMessage();
    }

    public synchronized State state() {
        return state;
    }

    public synchronized String lastError() {
        return lastError;
    }

    public synchronized long errors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long errors(ErrorReason reason) {
        return errors.getOrDefault(reason, 0L);
    }

    public synchronized Map<ErrorReason, Long> errorsByReason() {
        return Map.copyOf(errors);
    }

    public synchronized long polls() {
        return polls;
    }

    public synchronized long failedPolls() {
        return failedPolls;
    }

    public synchronized long skippedPolls() {
        return skippedPolls;
    }

    public synchronized long reboots() {
        return reboots;
    }

    public synchronized long wraps() {
        return wraps;
    }

    public synchronized int missingObjects() {
        return missingObjects;
    }

    public synchronized double latencyMillis() {
        return latencyMillis;
    }

    public synchronized long lastPollMillis() {
        return lastPollMillis;
    }

    public synchronized DeviceDTO toDto(long nowMillis) {
        DeviceDTO d = new DeviceDTO();
        d.agent = "snmp";
        d.name = name;
        d.address = address;
        d.state = state.label();
        d.lastSeenMillis = lastSeenMillis;
        d.latencyMillis = latencyMillis;
        d.eventsPerSecond = events.perSecond(nowMillis);
        d.errors = errors();
        d.lastError = lastError;
        return d;
    }
}
