package io.amoskys.responder.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The responder on real processes started here (sleep), never on the test's own JVM. */
class ProcessResponderTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly(); // SIGKILL ends stopped processes too
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a command and waits until it runs the program named last (sh exec's it). */
    private Process start(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        int pid = (int) p.pid();
        awaitTrue(() -> executable(pid).endsWith("/sleep"), "process " + pid + " runs sleep");
        return p;
    }

    private Process sleeper() throws Exception {
        return start("sleep", "300");
    }

    private static String executable(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static char state(Process p) throws IOException {
        return ProcEntry.read((int) p.pid()).orElseThrow().state();
    }

    /** Sleeping (S) or, just started or resumed, running (R): neither stopped nor exited. */
    private static void assertRuns(Process p, String why) throws IOException {
        char state = state(p);
        assertTrue(state == 'S' || state == 'R', why + ": state " + state);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ProcessResponder responder(Map<String, Object> config) {
        Map<String, Object> values = new HashMap<>(config);
        values.putIfAbsent("verifySeconds", 5);
        return new ProcessResponder(Configs.process(values));
    }

    /** An alert on what this host's process agent saw. */
    private static Alert alert(Map<String, String> groupBy, String entity) {
        return alert(groupBy, entity, List.of(localEvent()));
    }

    private static Alert alert(Map<String, String> groupBy, String entity, List<String> eventIds) {
        return Alert.builder().id("a1").rule("suspicious-process").entityId(entity).title("odd process").groupBy(groupBy)
                .eventIds(eventIds).build();
    }

    /** An event of this host's process agent, as the agent names them (process@HOST:SEQUENCE). */
    private static String localEvent() {
        try {
            return "process@" + hostname().toLowerCase(java.util.Locale.ROOT) + ":42";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Alert alertFor(Process p) {
        return alert(Map.of("pid", Long.toString(p.pid())), "host:local");
    }

    private static Action action(String id, ActionRequest request) {
        return new Action(id, "process", "a1", "suspicious-process", "host:local", request, 1);
    }

    private static String hostname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }

    @Test
    void suspendsAndTheUndoResumes() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of());
        assertEquals(List.of(), responder.configurationProblems());
        assertTrue(responder.undoable());

        ActionRequest request = responder.plan(alertFor(sleep)).get(0);
        String exe = executable((int) sleep.pid());
        assertEquals("suspend", request.verb());
        assertEquals(Target.of(Target.Kind.PROCESS, sleep.pid() + ":" + sha256(Path.of(exe))), request.target());
        assertEquals(Duration.ofSeconds(300), request.lasts());
        assertEquals(exe, request.parameters().get("executable"));
        assertTrue(request.description().startsWith("suspend process " + sleep.pid() + " (" + exe + ", sha256 "),
                request.description());
        assertRuns(sleep, "planning does nothing");

        ActionOutcome stopped = responder.execute(action("act-1", request));
        assertEquals(Status.SUCCEEDED, stopped.status(), stopped.output());
        assertEquals('T', state(sleep));
        assertTrue(stopped.output().contains("kill -s STOP " + sleep.pid() + ": exit 0"), stopped.output());
        ActionOutcome again = responder.execute(action("act-1", request));
        assertEquals(Status.SUCCEEDED, again.status(), again.output());
        assertTrue(again.output().contains("already stopped"), again.output());

        ActionOutcome resumed = responder.undo(action("act-1", request));
        assertEquals(Status.SUCCEEDED, resumed.status(), resumed.output());
        assertRuns(sleep, "running again");
        ActionOutcome resumedAgain = responder.undo(action("act-1", request));
        assertEquals(Status.SUCCEEDED, resumedAgain.status(), resumedAgain.output());
        assertTrue(resumedAgain.output().contains("already runs"), resumedAgain.output());
        assertTrue(sleep.isAlive());
    }

    @Test
    void killsWithSigtermAndCountsAGoneProcessAsDone() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of("mode", "kill"));
        assertFalse(responder.undoable());
        ActionRequest request = responder.plan(alertFor(sleep)).get(0);
        assertEquals("kill", request.verb());
        assertNull(request.lasts(), "a kill lasts: nothing to undo");

        ActionOutcome killed = responder.execute(action("act-kill", request));
        assertEquals(Status.SUCCEEDED, killed.status(), killed.output());
        assertTrue(killed.output().startsWith("killed process " + sleep.pid() + " with SIGTERM"), killed.output());
        sleep.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(sleep.isAlive());

        ActionOutcome again = responder.execute(action("act-kill", request));
        assertEquals(Status.SUCCEEDED, again.status(), again.output());
        assertTrue(again.output().contains("already gone"), again.output());
        assertEquals(Status.FAILED, responder.undo(action("act-kill", request)).status());
    }

    @Test
    void escalatesToSigkillWhenSigtermIsIgnored() throws Exception {
        // An ignored signal stays ignored across exec: this sleep shrugs SIGTERM off.
        Process stubborn = start("sh", "-c", "trap '' TERM; exec sleep 300");
        ProcessResponder responder = responder(Map.of("mode", "kill", "graceSeconds", 1));
        ActionOutcome killed = responder.execute(action("act-stubborn", responder.plan(alertFor(stubborn)).get(0)));
        assertEquals(Status.SUCCEEDED, killed.status(), killed.output());
        assertTrue(killed.output().contains("with SIGKILL after 1 s"), killed.output());
        assertTrue(killed.output().contains("kill -s KILL " + stubborn.pid()), killed.output());
        stubborn.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void killsAStoppedProcessToo() throws Exception {
        Process sleep = sleeper();
        ProcessResponder suspend = responder(Map.of());
        assertEquals(Status.SUCCEEDED, suspend.execute(action("act-s", suspend.plan(alertFor(sleep)).get(0))).status());
        assertEquals('T', state(sleep));
        ProcessResponder kill = responder(Map.of("mode", "kill"));
        ActionOutcome killed = kill.execute(action("act-k", kill.plan(alertFor(sleep)).get(0)));
        assertEquals(Status.SUCCEEDED, killed.status(), killed.output());
        assertTrue(killed.output().contains("kill -s CONT"), "continued so it can act on SIGTERM: " + killed.output());
        sleep.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void refusesAPidThatNoLongerBelongsToThePlannedProcess() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of("mode", "kill"));
        ActionRequest planned = responder.plan(alertFor(sleep)).get(0);

        ActionRequest otherExecutable = ActionRequest.of("kill", Target.of(Target.Kind.PROCESS, sleep.pid() + ":" + "0".repeat(64)),
                "kill").withParameters(planned.parameters());
        ActionOutcome outcome = responder.execute(action("act-hash", otherExecutable));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("pid reused: refusing. process " + sleep.pid() + " now runs "), outcome.output());

        Map<String, String> otherStart = new HashMap<>(planned.parameters());
        otherStart.put("startTicks", Long.toString(Long.parseLong(planned.parameters().get("startTicks")) - 1));
        ActionRequest reused = ActionRequest.of("kill", planned.target(), "kill").withParameters(otherStart);
        outcome = responder.execute(action("act-reused", reused));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("pid reused: refusing. pid " + sleep.pid() + " now belongs to a process started at tick"),
                outcome.output());

        assertTrue(sleep.isAlive());
        assertRuns(sleep, "neither killed nor stopped");
    }

    @Test
    void aBarePidWhoseProcessStartedAfterTheAlertIsRefused() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of());
        long now = System.currentTimeMillis();
        Alert before = Alert.builder().id("a1").rule("suspicious-process").entityId("host:local").title("odd process")
                .groupBy(Map.of("pid", Long.toString(sleep.pid()))).eventIds(List.of(localEvent()))
                .timestampNanos((now - 60_000) * 1_000_000).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> responder.plan(before));
        assertTrue(e.getMessage().startsWith("pid " + sleep.pid() + " was reused since the alert: its process started at "),
                e.getMessage());
        Alert after = Alert.builder().id("a2").rule("suspicious-process").entityId("host:local").title("odd process")
                .groupBy(Map.of("pid", Long.toString(sleep.pid()))).eventIds(List.of(localEvent()))
                .timestampNanos(now * 1_000_000).build();
        assertEquals(1, responder.plan(after).size(), "an alert after the process started names it");
    }

    @Test
    void aThreadIdIsNoProcessToSignal() throws Exception {
        long self = ProcessHandle.current().pid();
        long thread = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(thread != self, "the test runs on a thread of its own, not the JVM's first");
        ProcessResponder responder = responder(Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(Map.of("pid", Long.toString(thread)), "host:local")));
        assertEquals(thread + " is a thread of process " + self + ", not a process: a signal to it would reach all of " + self,
                e.getMessage());
    }

    @Test
    void aProcessStoppedByAnotherIsNotSuspendedAndSoNeverResumed() throws Exception {
        Process sleep = sleeper();
        new ProcessBuilder("kill", "-STOP", Long.toString(sleep.pid())).start().waitFor(10, TimeUnit.SECONDS);
        awaitTrue(() -> {
            try {
                return state(sleep) == 'T';
            } catch (IOException e) {
                return false;
            }
        }, "stopped by an operator");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> responder(Map.of()).plan(alertFor(sleep)));
        assertTrue(e.getMessage().contains("is stopped already (state T): a suspend planned now would resume it"), e.getMessage());
        assertEquals(1, responder(Map.of("mode", "kill")).plan(alertFor(sleep)).size(), "a kill still may be planned");
        assertEquals('T', state(sleep));
    }

    @Test
    void aProcessThatDoesNotExist() throws Exception {
        Process gone = sleeper();
        ProcessResponder kill = responder(Map.of("mode", "kill"));
        ActionRequest killRequest = kill.plan(alertFor(gone)).get(0);
        ProcessResponder suspend = responder(Map.of());
        ActionRequest suspendRequest = suspend.plan(alertFor(gone)).get(0);
        gone.destroyForcibly();
        gone.onExit().get(10, TimeUnit.SECONDS);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kill.plan(alertFor(gone)));
        assertTrue(e.getMessage().contains("process " + gone.pid() + " does not exist"), e.getMessage());
        // Executing: the planned process is gone, which is what a kill wanted (and what a retry after a crash sees).
        ActionOutcome killed = kill.execute(action("act-gone", killRequest));
        assertEquals(Status.SUCCEEDED, killed.status(), killed.output());
        assertTrue(killed.output().contains("already gone"), killed.output());
        ActionOutcome suspended = suspend.execute(action("act-gone2", suspendRequest));
        assertEquals(Status.SUCCEEDED, suspended.status(), suspended.output());
        assertTrue(suspended.output().contains("already gone: nothing to suspend"), suspended.output());
        ActionOutcome resumed = suspend.undo(action("act-gone2", suspendRequest));
        assertTrue(resumed.output().contains("gone: nothing to resume"), resumed.output());
    }

    @Test
    void refusesInitAndWhatIsNoPid() {
        ProcessResponder responder = responder(Map.of());
        for (String pid : List.of("1", "0", "-4", "abc")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> responder.plan(alert(Map.of("pid", pid), "host:x")), pid);
            assertTrue(e.getMessage().contains(pid.equals("abc") ? "is no process id" : "never acted on"), e.getMessage());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(Map.of("src", "10.0.0.1"), "host:x")));
        assertTrue(missing.getMessage().contains("has no group-by value 'pid'"), missing.getMessage());
        ActionRequest init = ActionRequest.of("suspend", Target.of(Target.Kind.PROCESS, "1:abc"), "x")
                .withParameters(Map.of("startTicks", "1"));
        assertTrue(assertDoesNotAct(responder, init).contains("never acted on"));
    }

    private static String assertDoesNotAct(ProcessResponder responder, ActionRequest request) {
        try {
            ActionOutcome outcome = responder.execute(action("act-x", request));
            assertEquals(Status.FAILED, outcome.status(), outcome.output());
            return outcome.output();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsProcessEntitiesOfThisHostOnly() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of("pidFrom", "entity"));
        long ticks = ProcEntry.read((int) sleep.pid()).orElseThrow().startTicks();
        String entity = "process:" + hostname() + ":" + sleep.pid() + ":" + ticks;
        ActionRequest request = responder.plan(alert(Map.of(), entity)).get(0);
        assertEquals(Long.toString(ticks), request.parameters().get("startTicks"));

        IllegalArgumentException reused = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(Map.of(), "process:" + hostname() + ":" + sleep.pid() + ":" + (ticks + 1))));
        assertTrue(reused.getMessage().contains("was reused since the alert"), reused.getMessage());
        IllegalArgumentException elsewhere = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(Map.of(), "process:other-host:" + sleep.pid() + ":" + ticks)));
        assertTrue(elsewhere.getMessage().contains("is a process of host 'other-host'"), elsewhere.getMessage());
        IllegalArgumentException grouped = assertThrows(IllegalArgumentException.class, () -> responder(Map.of())
                .plan(alert(Map.of("pid", Long.toString(sleep.pid()), "host", "other-host"), "host:x")));
        assertTrue(grouped.getMessage().contains("is about host 'other-host'"), grouped.getMessage());
    }

    @Test
    void actsOnlyOnWhatThisHostsProcessAgentSaw() throws Exception {
        Process sleep = sleeper();
        ProcessResponder responder = responder(Map.of());
        Map<String, String> pid = Map.of("pid", Long.toString(sleep.pid()));
        // A remote agent's events name any pid it likes; so does an agent of another host.
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(pid, "host:local", List.of("edge-1:7"))));
        assertTrue(remote.getMessage().contains("rests on event edge-1:7 of agent 'edge-1'"), remote.getMessage());
        assertThrows(IllegalArgumentException.class, () -> responder.plan(alert(pid, "host:local", List.of(localEvent(), "edge-1:7"))));
        assertThrows(IllegalArgumentException.class, () -> responder.plan(alert(pid, "host:local", List.of("process@other-host:3"))));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(pid, "host:local", List.of())));
        assertTrue(none.getMessage().contains("names no events"), none.getMessage());
        // The threshold rule names its events in its score only.
        Alert scored = Alert.builder().id("a2").rule("threshold").entityId("host:local").title("odd").groupBy(pid)
                .scores(List.of(io.amoskys.api.event.Score.builder().detector("zscore").modelVersion("1").entityId("host:local")
                        .value(0.97).eventIds(List.of(localEvent())).build()))
                .build();
        assertEquals(1, responder.plan(scored).size());
    }

    @Test
    void actsOnlyOnAllowedExecutables() throws Exception {
        Process sleep = sleeper();
        String exe = executable((int) sleep.pid());
        String dir = exe.substring(0, exe.lastIndexOf('/'));
        assertEquals(1, responder(Map.of("allowedExecutables", new String[] {dir + "/s*"})).plan(alertFor(sleep)).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> responder(Map.of("allowedExecutables", new String[] {"/opt/**"})).plan(alertFor(sleep)));
        assertTrue(e.getMessage().contains("matches none of allowedExecutables [/opt/**]"), e.getMessage());
    }

    @Test
    void aChangedModeDoesNotRunOldPlans() throws Exception {
        Process sleep = sleeper();
        ActionRequest suspend = responder(Map.of()).plan(alertFor(sleep)).get(0);
        ActionOutcome outcome = responder(Map.of("mode", "kill")).execute(action("act-m", suspend));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("planned as suspend, but the responder's mode is now kill"), outcome.output());
        assertRuns(sleep, "not suspended");
    }

    @Test
    void namesEachConfigurationProblem() {
        assertProblem(Map.of("mode", "pause"), "mode 'pause' is neither suspend nor kill");
        assertProblem(Map.of("pidFrom", "pid"), "pidFrom 'pid' is neither 'entity' nor 'groupBy:KEY'");
        assertProblem(Map.of("suspendSeconds", 0L), "suspendSeconds must be positive");
        assertProblem(Map.of("graceSeconds", -1), "graceSeconds must be positive");
        assertProblem(Map.of("verifySeconds", 0), "verifySeconds must be positive");
        assertProblem(Map.of("allowedExecutables", new String[] {"usr/bin/*"}), "is no absolute path glob");
        assertProblem(Map.of("allowedExecutables", new String[] {"/usr/[bin"}), "'/usr/[bin' is no valid glob");
        assertProblem(Map.of("killPath", "/nonexistent/kill"), "kill not found or not executable at /nonexistent/kill");
        assertProblem(Map.of("killPath", "kill"), "killPath 'kill' is not an absolute path");
    }

    private static void assertProblem(Map<String, Object> config, String expected) {
        ProcessResponder responder = responder(config);
        List<String> problems = responder.configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert(Map.of("pid", "2"), "host:x")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void killsAProcessWhoseNameIsNotUtf8() throws Exception {
        // Any process may rename itself (/proc/self/comm) to bytes that are no UTF-8.
        Process renamed = new ProcessBuilder("sh", "-c", "printf 'a\\377b' > /proc/$$/comm && echo renamed && read line")
                .redirectErrorStream(true).start();
        started.add(renamed);
        assertEquals("renamed", new BufferedReader(new InputStreamReader(renamed.getInputStream(), StandardCharsets.UTF_8)).readLine());
        ProcessResponder kill = responder(Map.of("mode", "kill"));
        ActionOutcome killed = kill.execute(action("act-renamed", kill.plan(alertFor(renamed)).get(0)));
        assertEquals(Status.SUCCEEDED, killed.status(), killed.output());
        renamed.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIoErrorOnAProcessThatEndedMeanwhileIsDoneAndOnOneThatRunsIsTriedAgain() throws Exception {
        Process sleep = sleeper();
        Pinned pinned = new Pinned((int) sleep.pid(), "unused", ProcEntry.read((int) sleep.pid()).orElseThrow().startTicks());
        IOException vanished = new java.nio.file.NoSuchFileException("/proc/" + sleep.pid() + "/exe");

        ActionOutcome running = ProcessResponder.unreadable(pinned, "kill", vanished);
        assertEquals(Status.RETRY, running.status(), running.output());
        sleep.destroyForcibly();
        sleep.onExit().get(10, TimeUnit.SECONDS);
        ActionOutcome ended = ProcessResponder.unreadable(pinned, "kill", vanished);
        assertEquals(Status.SUCCEEDED, ended.status(), ended.output());
        assertTrue(ended.output().contains("ended while it was checked"), ended.output());
    }

    @Test
    void aProcessReapedBetweenOpeningAndReadingItsStatIsGone() throws Exception {
        Process sleep = sleeper();
        Path folder = ProcEntry.PROC.resolve(Long.toString(sleep.pid()));
        try (InputStream stat = Files.newInputStream(folder.resolve("stat"))) {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ProcEntry.read(folder, stat), "the kernel fails this read with ESRCH");
        }
    }

    @Test
    void aFailedReadInAnotherLanguageIsGoneWhenTheFolderIsAndAnErrorWhileItIsNot() throws Exception {
        // The JVM says ESRCH in the system's language: de_DE's words, as a read of a reaped process gives them.
        Process sleep = new ProcessBuilder("sleep", "300").start();
        Path folder = Path.of("/proc", Long.toString(sleep.pid()));
        IOException german = new IOException("Kein passender Prozess gefunden");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw german;
            }
        };
        try {
            assertEquals(german, assertThrows(IOException.class, () -> ProcEntry.read(folder, failing)),
                    "a process that still runs: an error, not gone");
        } finally {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
        }
        assertEquals(Optional.empty(), ProcEntry.read(folder, failing));
    }

    @Test
    void parsesStatLinesWithOddNames() {
        ProcEntry e = ProcEntry.parse("4242 (we ird) (name)) T 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 "
                + "987654 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0");
        assertEquals(4242, e.pid());
        assertEquals('T', e.state());
        assertEquals(987654L, e.startTicks());
        assertTrue(e.stopped());
    }
}
