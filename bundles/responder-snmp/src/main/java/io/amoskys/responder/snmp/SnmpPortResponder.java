package io.amoskys.responder.snmp;

import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responder {@code snmp-port}: disables the switch port an alert names by setting its
 * ifAdminStatus to down(2) with an SNMP v2c or v3 SET, reads it back, and sets it up(1) again on
 * undo. Only the devices and ifIndexes listed in the configuration are ever set; a port found
 * already down is left down by undo. Guardrails (arming, limits, approval, expiry) are the platform's.
 */
@Component(service = ActionResponder.class, configurationPid = SnmpPortResponder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SnmpPortConfig.class)
@PluginName("snmp-port")
public class SnmpPortResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.snmp";
    static final String VERB = "disable";
    private static final Logger LOG = LoggerFactory.getLogger(SnmpPortResponder.class);
    private static final int MAX_OUTPUT = 2000;

    private final PortSettings settings;
    private final PortClient client;
    private final PortState state;

    /** {@code properties}: the whole configuration, as the per-device keys {@code device.NAME.*} are not in {@code config}. */
    @Activate
    public SnmpPortResponder(SnmpPortConfig config, Map<String, Object> properties) {
        this.settings = new PortSettings(config, properties);
        this.client = new PortClient(Math.max(1, settings.timeoutMillis), Math.max(0, settings.retries));
        this.state = settings.stateDir == null ? null : new PortState(settings.stateDir);
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            LOG.warn("snmp-port responder cannot be armed: {}", String.join("; ", problems));
        }
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (settings.disableSeconds <= 0) {
            throw new IllegalArgumentException("disableSeconds must be positive, was " + settings.disableSeconds);
        }
        String deviceName = value(alert, settings.deviceKey, true);
        String port = value(alert, settings.portKey, false);
        int ifIndex = ifIndex(port, alert);
        PortSettings.Device device = settings.devices.get(deviceName);
        if (device == null) {
            throw new IllegalArgumentException("device '" + deviceName + "' of alert " + alert.id()
                    + " is not configured in ports: its ports are never set");
        }
        if (!device.allows(ifIndex)) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " of device '" + deviceName
                    + "' is not configured in ports: it is never set");
        }
        String description = "set ifAdminStatus of " + deviceName + " ifIndex " + ifIndex + " (" + device.address()
                + ") to down(2) for " + settings.disableSeconds + " s";
        return List.of(ActionRequest.of(VERB, Target.of(Target.Kind.PORT, deviceName + "/" + ifIndex), description)
                .withParameters(parameters(device, ifIndex))
                .lasting(Duration.ofSeconds(settings.disableSeconds)));
    }

    /** What the receipts record about the request: where, and how it is secured (never a secret). */
    private static Map<String, String> parameters(PortSettings.Device device, int ifIndex) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("device", device.name(), "agent", device.address(),
                "ifIndex", Integer.toString(ifIndex), "oid", PortClient.oid(ifIndex).toDottedString()));
        if (device.security() != null) {
            p.put("version", device.security().version());
        }
        if (device.security() instanceof Security.Usm usm) {
            p.put("user", usm.user());
            p.put("securityLevel", usm.securityLevel());
        }
        return Map.copyOf(p);
    }

    private static String value(Alert alert, String groupByKey, boolean device) {
        String what = device ? "device" : "ifIndex";
        if (groupByKey != null) {
            String v = alert.groupBy().get(groupByKey);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("alert " + alert.id() + " of rule " + alert.rule() + " has no group-by value '"
                        + groupByKey + "' for the " + what + " (it has " + alert.groupBy().keySet() + ")");
            }
            return v.strip();
        }
        String entity = alert.entityId();
        int first = entity.indexOf('/');
        int last = entity.lastIndexOf('/');
        if (first <= 0 || last == entity.length() - 1) {
            throw new IllegalArgumentException("entity '" + entity + "' of alert " + alert.id()
                    + " is not DEVICE/.../IFINDEX: no " + what + " in it");
        }
        return device ? entity.substring(0, first) : entity.substring(last + 1);
    }

    private static int ifIndex(String text, Alert alert) {
        try {
            int i = Integer.parseInt(text);
            if (i >= 1 && i <= PortSettings.MAX_IFINDEX) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("ifIndex '" + text + "' of alert " + alert.id() + " is no positive ifIndex number");
    }

    /** The configured device and ifIndex of an action's target, or null when it is not (any longer) allowed. */
    private record Port(PortSettings.Device device, int ifIndex) {}

    private Port port(Action action) {
        Target target = action.request().target();
        if (target.kind() != Target.Kind.PORT) {
            return null;
        }
        String v = target.value();
        int slash = v.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        PortSettings.Device device = settings.devices.get(v.substring(0, slash));
        try {
            int ifIndex = Integer.parseInt(v.substring(slash + 1));
            return device != null && device.allows(ifIndex) ? new Port(device, ifIndex) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public ActionOutcome execute(Action action) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            return ActionOutcome.failed(bounded("misconfigured: " + String.join("; ", problems)));
        }
        Port port = port(action);
        if (port == null) {
            return ActionOutcome.failed("target " + action.request().target() + " is not configured in ports (any longer): not set");
        }
        String where = port.device().name() + " ifIndex " + port.ifIndex();
        try {
            String noted = state.read(action.id());
            if (noted == null) {
                PortClient.Result before = client.get(port.device(), port.ifIndex());
                if (!before.ok()) {
                    return outcome(before);
                }
                noted = state.note(action.id(), before.value() == PortClient.DOWN ? PortState.WAS_DOWN : PortState.WAS_UP);
                if (PortState.WAS_DOWN.equals(noted)) {
                    return ActionOutcome.succeeded("already down: ifAdminStatus of " + where + " was down(2) before this action;"
                            + " left as found, and undo leaves it down");
                }
            } else if (PortState.WAS_DOWN.equals(noted)) {
                return ActionOutcome.succeeded("already down: ifAdminStatus of " + where + " was down(2) before this action;"
                        + " left as found, and undo leaves it down");
            }
            return setAndVerify(port, PortClient.DOWN, "disabled");
        } catch (IOException e) {
            return ActionOutcome.retry(bounded("cannot note the port's state in " + settings.stateDir + ": " + e));
        }
    }

    @Override
    public ActionOutcome undo(Action action) {
        Port port = port(action);
        if (port == null) {
            return ActionOutcome.failed("target " + action.request().target() + " is not configured in ports (any longer): not set");
        }
        if (port.device().security() == null) {
            // Only this device's own problems stop an undo: bringing a port back up matters more than the rest.
            return ActionOutcome.failed(bounded("misconfigured: " + String.join("; ", settings.problems())));
        }
        String where = port.device().name() + " ifIndex " + port.ifIndex();
        try {
            String noted = state == null ? null : state.read(action.id());
            if (PortState.WAS_DOWN.equals(noted)) {
                state.forget(action.id());
                return ActionOutcome.succeeded("left down: " + where + " was already down before action " + action.id());
            }
            ActionOutcome outcome = setAndVerify(port, PortClient.UP, "enabled");
            if (outcome.status() == ActionOutcome.Status.SUCCEEDED && state != null) {
                state.forget(action.id());
            }
            return outcome;
        } catch (IOException e) {
            return ActionOutcome.retry(bounded("cannot read the port's state in " + settings.stateDir + ": " + e));
        }
    }

    private ActionOutcome setAndVerify(Port port, int status, String done) {
        PortClient.Result set = client.set(port.device(), port.ifIndex(), status);
        if (!set.ok()) {
            return outcome(set);
        }
        PortClient.Result after = client.get(port.device(), port.ifIndex());
        String what = "SET " + PortClient.oid(port.ifIndex()) + " = " + PortClient.statusText(status) + " on "
                + port.device().name() + " (" + port.device().address() + ")";
        if (!after.ok()) {
            return ActionOutcome.retry(bounded(what + " answered, but reading it back failed: " + after.error()));
        }
        if (after.value() != status) {
            // Some agents apply a SET late: trying again (idempotent) checks again.
            return ActionOutcome.retry(bounded(what + " answered, but ifAdminStatus reads back "
                    + PortClient.statusText(after.value())));
        }
        return ActionOutcome.succeeded(bounded(done + " " + port.device().name() + " ifIndex " + port.ifIndex() + ": " + what
                + "; reads back " + PortClient.statusText(after.value())));
    }

    private static ActionOutcome outcome(PortClient.Result r) {
        return r.retry() ? ActionOutcome.retry(bounded(r.error())) : ActionOutcome.failed(bounded(r.error()));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT) + "...";
    }

    @Override
    public boolean undoable() {
        return true;
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
