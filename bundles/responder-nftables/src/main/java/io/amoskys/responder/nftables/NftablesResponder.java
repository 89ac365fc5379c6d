package io.amoskys.responder.nftables;

import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responder {@code nftables}: blocks the address an alert names by adding it, with a timeout, to
 * a set of the responder's own table ({@code inet amoskys}), whose chains drop packets from it.
 * The kernel lifts the block at its timeout even while the platform is down; undo lifts it early.
 * Guardrails (arming, allowlists, limits, approval) are the platform's, not this class's.
 */
@Component(service = ActionResponder.class, configurationPid = NftablesResponder.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NftablesConfig.class)
@PluginName("nftables")
public class NftablesResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.nftables";
    private static final Logger LOG = LoggerFactory.getLogger(NftablesResponder.class);
    /** nft messages that trying again will not change. */
    private static final List<String> PERMANENT = List.of("Operation not permitted", "Permission denied",
            "syntax error", "Operation not supported", "Protocol not supported", "File exists",
            "Could not resolve", "Cannot open network namespace");

    private final NftSettings settings;
    private final NftCommand nft;

    @Activate
    public NftablesResponder(NftablesConfig config) {
        this.settings = new NftSettings(config);
        this.nft = new NftCommand(settings.command(), settings.commandTimeoutSeconds);
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            LOG.warn("nftables responder cannot be armed: {}", String.join("; ", problems));
        }
        settings.missingInterface().ifPresent(warning -> LOG.warn("nftables responder: {}", warning));
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (settings.blockSeconds <= 0) {
            throw new IllegalArgumentException("blockSeconds must be positive, was " + settings.blockSeconds);
        }
        IpLiteral address = IpLiteral.parse(addressOf(alert));
        String set = NftScript.setOf(settings, address);
        String where = NftSettings.FAMILY + " " + settings.table + " " + set;
        String description = "drop packets from " + address.text() + " for " + settings.blockSeconds
                + " s (nftables set " + where + ")";
        return List.of(ActionRequest.of("block", Target.address(address.text()), description)
                .withParameters(Map.of("family", NftSettings.FAMILY, "table", settings.table, "set", set,
                        "hooks", String.join(",", settings.hooks), "timeoutSeconds", Long.toString(settings.blockSeconds)))
                .lasting(Duration.ofSeconds(settings.blockSeconds)));
    }

    private String addressOf(Alert alert) {
        if (settings.groupByKey == null) {
            // Flow alerts name their entity "host:ADDRESS"; other rules may name a bare address.
            String entity = alert.entityId();
            return entity.startsWith("host:") ? entity.substring("host:".length()) : entity;
        }
        String value = alert.groupBy().get(settings.groupByKey);
        if (value == null) {
            throw new IllegalArgumentException("alert " + alert.id() + " of rule " + alert.rule()
                    + " has no group-by value '" + settings.groupByKey + "' (it has " + alert.groupBy().keySet() + ")");
        }
        return value.startsWith("host:") ? value.substring("host:".length()) : value;
    }

    @Override
    public ActionOutcome execute(Action action) throws InterruptedException {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", problems));
        }
        IpLiteral address;
        try {
            address = IpLiteral.parse(action.request().target().value());
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed(e.getMessage());
        }
        Duration lasts = action.request().lasts();
        long seconds = lasts == null ? settings.blockSeconds : Math.max(1, (lasts.toMillis() + 999) / 1000);
        String script = NftScript.block(settings, address, seconds, NftScript.comment(action.id()));
        NftCommand.Run run;
        try {
            run = nft.run(List.of("-f", "-"), script);
        } catch (IOException e) {
            return ActionOutcome.retry("cannot run " + settings.command() + " (for now): " + e.getMessage());
        }
        String where = "set " + NftSettings.FAMILY + " " + settings.table + " " + NftScript.setOf(settings, address);
        return run.ok()
                ? ActionOutcome.succeeded("blocked " + address.text() + " for " + seconds + " s in " + where
                        + settings.missingInterface().map(w -> " (" + w + ")").orElse("") + "\n" + run.describe(script))
                : failure(run, run.describe(script));
    }

    @Override
    public ActionOutcome undo(Action action) throws InterruptedException {
        IpLiteral address;
        try {
            address = IpLiteral.parse(action.request().target().value());
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed(e.getMessage());
        }
        // Where the plan said, and where the configuration says now: a table or set changed since
        // the block must not leave the element behind, dropping packets until its timeout.
        Map<String, String> planned = action.request().parameters();
        Set<List<String>> places = new LinkedHashSet<>();
        String plannedTable = planned.get("table");
        String plannedSet = planned.get("set");
        if (plannedTable != null && plannedSet != null && NftSettings.isIdentifier(plannedTable) && NftSettings.isIdentifier(plannedSet)) {
            places.add(List.of(plannedTable, plannedSet));
        }
        places.add(List.of(settings.table, NftScript.setOf(settings, address)));
        // Every place is tried: the block is lifted where it was found, whatever another place answers.
        StringBuilder said = new StringBuilder();
        boolean lifted = false;
        ActionOutcome failed = null;
        for (List<String> place : places) {
            ActionOutcome one = unblock(action, address, place.get(0), place.get(1));
            said.append(said.length() == 0 ? "" : "\n").append(one.output());
            if (one.status() != ActionOutcome.Status.SUCCEEDED) {
                failed = failed == null ? one : failed;
            } else if (!one.output().startsWith("already expired")) {
                lifted = true;
            }
        }
        if (failed == null || lifted) {
            return ActionOutcome.succeeded(said.toString());
        }
        return failed.status() == ActionOutcome.Status.RETRY ? ActionOutcome.retry(said.toString()) : ActionOutcome.failed(said.toString());
    }

    private ActionOutcome unblock(Action action, IpLiteral address, String table, String set) throws InterruptedException {
        String where = "set " + NftSettings.FAMILY + " " + table + " " + set;
        try {
            NftCommand.Run shown = nft.run(NftScript.getElement(table, set, address), null);
            if (gone(shown)) {
                return ActionOutcome.succeeded("already expired: " + address.text() + " is not in " + where);
            }
            if (!shown.ok()) {
                return failure(shown, shown.describe(null));
            }
            // A later block of the same address renewed the element: lifting it is that action's undo.
            String owner = NftScript.commentIn(shown.stdout());
            if (owner != null && !owner.equals(NftScript.comment(action.id()))) {
                return ActionOutcome.succeeded("left in place: the block of " + address.text() + " in " + where
                        + " now belongs to action " + owner);
            }
            NftCommand.Run deleted = nft.run(NftScript.deleteElement(table, set, address), null);
            if (gone(deleted)) {
                return ActionOutcome.succeeded("already expired: " + address.text() + " is not in " + where);
            }
            return deleted.ok()
                    ? ActionOutcome.succeeded("unblocked " + address.text() + " from " + where + "\n" + deleted.describe(null))
                    : failure(deleted, deleted.describe(null));
        } catch (IOException e) {
            return ActionOutcome.retry("cannot run " + settings.command() + " (for now): " + e.getMessage());
        }
    }

    /** nft's answer when the element, its set or its table does not exist. */
    private static boolean gone(NftCommand.Run run) {
        return !run.ok() && !run.timedOut() && run.stderr().startsWith("Error:")
                && run.stderr().contains("No such file or directory");
    }

    private static ActionOutcome failure(NftCommand.Run run, String description) {
        if (run.timedOut()) {
            return ActionOutcome.retry(description);
        }
        for (String permanent : PERMANENT) {
            if (run.stderr().contains(permanent)) {
                return ActionOutcome.failed(description);
            }
        }
        return ActionOutcome.retry(description);
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
