package io.amoskys.agent.snmp.event;

import io.amoskys.agent.snmp.DeviceSettings;
import io.amoskys.agent.snmp.counter.CounterTracker;
import io.amoskys.agent.snmp.counter.UptimeTracker;
import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.poll.PollData;
import io.amoskys.agent.snmp.poll.PollFailure;
import io.amoskys.agent.snmp.profile.Profile;
import io.amoskys.agent.snmp.profile.ProfileCatalog;
import io.amoskys.agent.snmp.profile.TableSpec;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.util.TableEvent;

/**
 * Turns one poll's raw answers into events: one per profile with scalars (entity: the device),
 * one per table row (entity: {@code device/ifIndex}, {@code device/storage/N}, ...), and a
 * {@code type=reboot} event when sysUpTime went backwards, in which case no counter of that poll
 * has a rate. Labels and metrics use the SnmpSample field names where they fit: device, address,
 * profile, if_index, if_name, sys_uptime_s, latency_s.
 */
public final class PollInterpreter {
    /** What a poll gave: its events, the problems found in its answers, how many objects were missing. */
    public record Result(List<TelemetryEvent> events, List<PollFailure> problems, int missing, boolean rebooted, int wraps) {}

    private final EventFactory events;

    public PollInterpreter(EventFactory events) {
        this.events = events;
    }

    /** Not thread-safe per device: the trackers are the device's, one poll at a time. */
    public Result interpret(DeviceSettings device, List<Profile> profiles, CounterTracker counters, UptimeTracker uptime, PollData data) {
        long wall = EventFactory.nowNanos();
        List<TelemetryEvent> out = new ArrayList<>();
        List<PollFailure> problems = new ArrayList<>(data.failures());
        Double uptimeSeconds = null;
        boolean rebooted = false;
        Variable up = data.scalars().get(ProfileCatalog.SYS_UPTIME);
        if (up != null && !up.isException()) {
            if (up.getSyntax() == SMIConstants.SYNTAX_TIMETICKS) {
                long before = uptime.previousTicks();
                uptimeSeconds = up.toLong() / 100.0;
                if (uptime.observe(up.toLong(), data.atNanos()) == UptimeTracker.Change.REBOOTED) {
                    rebooted = true;
                    counters.forgetAll(); // every counter restarted: no rate crosses a reboot
                    out.add(common(events.start(device.name(), wall), device, data, uptimeSeconds)
                            .label("type", "reboot")
                            .metric("previous_sys_uptime_s", before / 100.0)
                            .build());
                }
            } else {
                problems.add(new PollFailure(ErrorReason.WRONG_TYPE, "wrong type: sys_uptime_s (" + ProfileCatalog.SYS_UPTIME + ") of "
                        + device.name() + " is " + up.getSyntaxString() + ", expected TimeTicks"));
            }
        }
        counters.beginPoll();
        int missing = 0;
        int wraps = 0;
        for (Profile profile : profiles) {
            if (!profile.scalars().isEmpty()) {
                Readings r = new Readings(device.name(), counters, data.atNanos(), problems);
                r.read(profile.scalars(), data.scalars()::get, oid -> oid);
                if (uptimeSeconds == null && profile.name().equals("system")) {
                    r.missing.add("sys_uptime_s");
                }
                missing += r.missing.size();
                wraps += r.wraps();
                out.add(r.fill(common(events.start(device.name(), wall), device, data, uptimeSeconds))
                        .label("profile", profile.name())
                        .label("discontinuity", rebooted ? "reboot" : "none")
                        .build());
            }
            for (TableSpec table : profile.tables()) {
                PollData.WalkedTable walked = data.tables().get(table.name());
                if (walked == null) {
                    continue; // its failure is among the problems
                }
                for (TableEvent row : walked.table().rows()) {
                    Readings r = rowReadings(device, table, walked, row, counters, problems);
                    missing += r.missing.size();
                    wraps += r.wraps();
                    TelemetryEvent.Builder b = r.fill(common(events.start(entity(device, table, row), wall), device, data, uptimeSeconds))
                            .label("profile", profile.name())
                            .label("table", table.name())
                            .label(table.indexLabel(), row.getIndex().toString())
                            .label("discontinuity", rebooted ? "reboot" : r.countersDiscontinued() ? "if-counter-discontinuity" : "none");
                    if (walked.table().truncated()) {
                        b.label("truncated", "maxRows=" + device.maxRows());
                    }
                    out.add(b.build());
                }
            }
        }
        counters.sweep();
        return new Result(out, problems, missing, rebooted, wraps);
    }

    private static Readings rowReadings(DeviceSettings device, TableSpec table, PollData.WalkedTable walked, TableEvent row,
            CounterTracker counters, List<PollFailure> problems) {
        OID[] columns = walked.columns();
        VariableBinding[] cells = row.getColumns();
        Map<OID, Variable> byColumn = new HashMap<>();
        for (int i = 0; i < columns.length && cells != null && i < cells.length; i++) {
            if (cells[i] != null) {
                byColumn.put(columns[i], cells[i].getVariable());
            }
        }
        Readings r = new Readings(entity(device, table, row), counters, walked.atNanos(), problems);
        r.read(table.columns(), byColumn::get, column -> new OID(column).append(row.getIndex()));
        table.derive().accept(r.metrics);
        return r;
    }

    private static String entity(DeviceSettings device, TableSpec table, TableEvent row) {
        String index = row.getIndex().toString();
        return table.entityPart().isEmpty() ? device.name() + "/" + index : device.name() + "/" + table.entityPart() + "/" + index;
    }

    private static TelemetryEvent.Builder common(TelemetryEvent.Builder b, DeviceSettings device, PollData data, Double uptimeSeconds) {
        b.label("device", device.name())
                .label("address", device.address())
                .metric("latency_s", data.latencyNanos() / 1e9);
        if (uptimeSeconds != null) {
            b.metric("sys_uptime_s", uptimeSeconds);
        }
        return b;
    }
}
