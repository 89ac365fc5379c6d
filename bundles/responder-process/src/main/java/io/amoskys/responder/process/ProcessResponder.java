package io.amoskys.responder.process;

import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responder {@code process}: suspends (SIGSTOP, undone by SIGCONT) or kills (SIGTERM, then SIGKILL)
 * the local process an alert names. The plan pins the process by pid, start time and the SHA-256
 * of its executable; each execution checks all three again just before signalling, so a pid that
 * was reused, or a process that exec'd something else, is never hit. Guardrails (arming, the
 * platform's own process and its parents, init, limits, approval) are the platform's.
 */
@Component(service = ActionResponder.class, configurationPid = ProcessResponder.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProcessConfig.class)
@PluginName("process")
public class ProcessResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.process";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessResponder.class);
    private static final Duration POLL = Duration.ofMillis(20);
    /**
     * btime has whole seconds: a process may seem to start up to this much late. A clock stepped back
     * between the alert and the plan (more than this) can still refuse the alert's own process.
     */
    static final long START_SLACK_MILLIS = 2_000;

    private final ProcessSettings settings;
    private final KillCommand kill;

    @Activate
    public ProcessResponder(ProcessConfig config) {
        this.settings = new ProcessSettings(config);
        this.kill = new KillCommand(settings.killPath);
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            LOG.warn("process responder cannot be armed: {}", String.join("; ", problems));
        }
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the process responder is misconfigured: " + String.join("; ", problems));
        }
        AlertedProcess named = AlertedProcess.of(alert, settings.groupByKey, localHostname());
        ProcEntry entry;
        String executable;
        String sha256;
        try {
            entry = ProcEntry.read(named.pid()).orElseThrow(() ->
                    new IllegalArgumentException("process " + named.pid() + " does not exist (any more)"));
            if (entry.exited()) {
                throw new IllegalArgumentException("process " + named.pid() + " has already exited");
            }
            if (named.startTicks() != null && named.startTicks() != entry.startTicks()) {
                throw new IllegalArgumentException("pid " + named.pid() + " was reused since the alert: it started at tick "
                        + entry.startTicks() + ", the alert's process at " + named.startTicks());
            }
            int group = entry.threadGroup();
            if (group != named.pid()) {
                throw new IllegalArgumentException(named.pid() + " is a thread of process " + group
                        + ", not a process: a signal to it would reach all of " + group);
            }
            // A bare pid says nothing of its start: the process under it must have started before the alert.
            long startedMs = entry.startedEpochMillis();
            if (named.startTicks() == null && alert.timestampNanos() > 0
                    && startedMs > alert.timestampNanos() / 1_000_000 + START_SLACK_MILLIS) {
                throw new IllegalArgumentException("pid " + named.pid() + " was reused since the alert: its process started at "
                        + java.time.Instant.ofEpochMilli(startedMs) + ", after the alert's "
                        + java.time.Instant.ofEpochMilli(alert.timestampNanos() / 1_000_000));
            }
            // Stopped by a signal (T; a traced process's t is a debugger's pause): whoever stopped it,
            // a suspend planned now would resume it at its end. (The platform's own suspend of it is
            // already under way, and the engine would add nothing for it anyway.)
            if (settings.mode == ProcessSettings.Mode.SUSPEND && entry.state() == 'T') {
                throw new IllegalArgumentException("process " + named.pid() + " is stopped already (state T): a suspend "
                        + "planned now would resume it at its end; nothing planned");
            }
            executable = entry.executable();
            sha256 = entry.executableSha256();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the executable of process " + named.pid() + ": " + e, e);
        }
        if (!settings.allows(executable)) {
            throw new IllegalArgumentException("process " + named.pid() + " runs " + executable
                    + ", which matches none of allowedExecutables " + settings.allowedGlobs);
        }
        return List.of(request(named.pid(), entry.startTicks(), executable, sha256));
    }

    private ActionRequest request(int pid, long startTicks, String executable, String sha256) {
        String which = "process " + pid + " (" + executable + ", sha256 " + sha256.substring(0, 12) + "…)";
        Map<String, String> parameters = Map.of("executable", executable, "startTicks", Long.toString(startTicks));
        Target target = Target.of(Target.Kind.PROCESS, pid + ":" + sha256);
        if (settings.mode == ProcessSettings.Mode.SUSPEND) {
            return ActionRequest.of("suspend", target, "suspend " + which + " for " + settings.suspendSeconds + " s (SIGSTOP, then SIGCONT)")
                    .withParameters(parameters).lasting(Duration.ofSeconds(settings.suspendSeconds));
        }
        return ActionRequest.of("kill", target, "kill " + which + ": SIGTERM, then SIGKILL after " + settings.graceSeconds + " s")
                .withParameters(parameters);
    }

    @Override
    public ActionOutcome execute(Action action) throws InterruptedException {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", problems));
        }
        String verb = action.request().verb();
        if (!verb.equals(settings.mode.verb)) {
            // A suspend run now would count as done, never resumed: plan again under the new mode.
            return ActionOutcome.failed("planned as " + verb + ", but the responder's mode is now " + settings.mode.verb);
        }
        return switch (verb) {
            case "suspend" -> act(action, this::suspend);
            case "kill" -> act(action, this::terminate);
            default -> ActionOutcome.failed("unknown verb '" + action.request().verb() + "'");
        };
    }

    @Override
    public ActionOutcome undo(Action action) throws InterruptedException {
        if (!action.request().verb().equals("suspend")) {
            return ActionOutcome.failed("a " + action.request().verb() + " cannot be undone");
        }
        Pinned pinned;
        try {
            pinned = Pinned.of(action);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed(e.getMessage());
        }
        try {
            Optional<ProcEntry> now = ProcEntry.read(pinned.pid());
            if (now.isEmpty() || now.get().exited() || now.get().startTicks() != pinned.startTicks()) {
                return ActionOutcome.succeeded("process " + pinned.pid() + " is gone: nothing to resume");
            }
            if (!now.get().stopped()) {
                return ActionOutcome.succeeded("process " + pinned.pid() + " already runs (state " + now.get().state() + ")");
            }
            KillCommand.Sent sent = kill.send("CONT", pinned.pid());
            if (!sent.ok()) {
                return failure(sent);
            }
            Optional<ProcEntry> after = await(pinned, e -> !e.stopped());
            return after.isPresent() && !after.get().stopped()
                    ? ActionOutcome.succeeded("resumed process " + pinned.pid() + " (state " + after.get().state() + ")\n" + sent)
                    : ActionOutcome.retry("process " + pinned.pid() + " is still stopped " + settings.verifySeconds
                            + " s after SIGCONT\n" + sent);
        } catch (IOException e) {
            return unreadable(pinned, "resume", e);
        }
    }

    /** Carries out one signalling step on a process that is verified to be the planned one. */
    private interface Step {
        ActionOutcome on(Pinned pinned, ProcEntry entry) throws IOException, InterruptedException;
    }

    private ActionOutcome act(Action action, Step step) throws InterruptedException {
        Pinned pinned;
        try {
            pinned = Pinned.of(action);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed(e.getMessage());
        }
        try {
            Optional<ProcEntry> now = ProcEntry.read(pinned.pid());
            if (now.isEmpty() || now.get().exited()) {
                // Crash-safe: a kill that ran before the platform learnt of it finds the process gone.
                return ActionOutcome.succeeded("process " + pinned.pid() + " is already gone: nothing to " + action.request().verb());
            }
            Optional<String> stranger = pinned.strangerIn(now.get());
            if (stranger.isPresent()) {
                return ActionOutcome.failed("pid reused: refusing. " + stranger.get());
            }
            if (!settings.allows(now.get().executable())) {
                return ActionOutcome.failed("process " + pinned.pid() + " runs " + now.get().executable()
                        + ", which matches none of allowedExecutables " + settings.allowedGlobs);
            }
            return step.on(pinned, now.get());
        } catch (IOException e) {
            return unreadable(pinned, action.request().verb(), e);
        }
    }

    /**
     * What an I/O error while checking or signalling means. Its /proc files vanish with a process
     * that ends meanwhile (its executable link first): that is done, not a failure for the
     * responder's circuit breaker. Anything else is tried again.
     */
    static ActionOutcome unreadable(Pinned pinned, String verb, IOException e) {
        try {
            if (pinned.gone()) {
                return ActionOutcome.succeeded("process " + pinned.pid() + " ended while it was checked: nothing to " + verb);
            }
        } catch (IOException again) {
            e.addSuppressed(again);
        }
        return ActionOutcome.retry("cannot check or signal process " + pinned.pid() + " (for now): " + e);
    }

    private ActionOutcome suspend(Pinned pinned, ProcEntry entry) throws IOException, InterruptedException {
        if (entry.stopped()) {
            return ActionOutcome.succeeded("process " + pinned.pid() + " is already stopped (state " + entry.state() + ")");
        }
        KillCommand.Sent sent = kill.send("STOP", pinned.pid());
        if (!sent.ok()) {
            return sent.noSuchProcess() ? ActionOutcome.succeeded("process " + pinned.pid() + " exited: nothing to suspend\n" + sent)
                    : failure(sent);
        }
        Optional<ProcEntry> after = await(pinned, ProcEntry::stopped);
        if (after.isEmpty()) {
            return ActionOutcome.succeeded("process " + pinned.pid() + " exited: nothing to suspend\n" + sent);
        }
        return after.get().stopped()
                ? ActionOutcome.succeeded("stopped process " + pinned.pid() + " (state " + after.get().state() + ")\n" + sent)
                : ActionOutcome.retry("process " + pinned.pid() + " is not stopped " + settings.verifySeconds
                        + " s after SIGSTOP (state " + after.get().state() + ")\n" + sent);
    }

    private ActionOutcome terminate(Pinned pinned, ProcEntry entry) throws IOException, InterruptedException {
        StringBuilder log = new StringBuilder();
        KillCommand.Sent term = kill.send("TERM", pinned.pid());
        log.append(term);
        if (!term.ok() && !term.noSuchProcess()) {
            return failure(term);
        }
        if (entry.stopped()) {
            // A stopped process acts on SIGTERM only once continued.
            log.append('\n').append(kill.send("CONT", pinned.pid()));
        }
        if (await(pinned, e -> false, Duration.ofSeconds(settings.graceSeconds)).isEmpty()) {
            return ActionOutcome.succeeded("killed process " + pinned.pid() + " with SIGTERM\n" + log);
        }
        // Still there after the grace period; checked again, as its pid is only ours while it runs.
        Optional<ProcEntry> now = ProcEntry.read(pinned.pid());
        if (now.isEmpty() || now.get().exited() || now.get().startTicks() != pinned.startTicks()) {
            return ActionOutcome.succeeded("killed process " + pinned.pid() + " with SIGTERM\n" + log);
        }
        KillCommand.Sent hard = kill.send("KILL", pinned.pid());
        log.append('\n').append(hard);
        if (!hard.ok() && !hard.noSuchProcess()) {
            return failure(hard);
        }
        return await(pinned, e -> false).isEmpty()
                ? ActionOutcome.succeeded("killed process " + pinned.pid() + " with SIGKILL after " + settings.graceSeconds
                        + " s\n" + log)
                : ActionOutcome.retry("process " + pinned.pid() + " is still there " + settings.verifySeconds
                        + " s after SIGKILL (uninterruptible sleep?)\n" + log);
    }

    private Optional<ProcEntry> await(Pinned pinned, Predicate<ProcEntry> done) throws IOException, InterruptedException {
        return await(pinned, done, Duration.ofSeconds(settings.verifySeconds));
    }

    /**
     * Polls /proc (the kernel offers no notification for another process's state) until the process
     * satisfies {@code done} or the time is up.
     *
     * @return the last state seen; empty once the planned process is gone
     */
    private static Optional<ProcEntry> await(Pinned pinned, Predicate<ProcEntry> done, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<ProcEntry> now = ProcEntry.read(pinned.pid());
            if (now.isEmpty() || now.get().exited() || now.get().startTicks() != pinned.startTicks()) {
                return Optional.empty();
            }
            if (done.test(now.get()) || System.nanoTime() - deadline >= 0) {
                return now;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static ActionOutcome failure(KillCommand.Sent sent) {
        String output = sent.toString();
        return sent.output().contains("Operation not permitted") || sent.output().contains("Permission denied")
                ? ActionOutcome.failed("not permitted to signal (run as the process's user, or as root): " + output)
                : ActionOutcome.retry(output);
    }

    /** This machine's name as the process agent writes it into process entities. */
    private static String localHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public boolean undoable() {
        return settings.mode == ProcessSettings.Mode.SUSPEND;
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
