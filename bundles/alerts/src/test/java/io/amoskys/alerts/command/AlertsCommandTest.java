package io.amoskys.alerts.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.alerts.internal.DerbyAlertStore;
import io.amoskys.alerts.internal.StoreSettings;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivilegedAction;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsCommandTest {
    @TempDir
    Path dir;

    private DerbyAlertStore store;
    private String scan;
    /** The bus's log the command reads evidence from; null: the bus is not running. */
    private EventLog log;
    /** The roles of the shell user running the commands. */
    private Set<String> roles = Set.of("operator");

    @BeforeEach
    void start() throws Exception {
        store = new DerbyAlertStore(dir.resolve("alerts"), StoreSettings.defaults(), Clock.systemUTC());
        long t = System.currentTimeMillis() * 1_000_000L;
        Score score = Score.builder().detector("iforest").modelVersion("1.0.2").entityId("10.0.0.5").timestampNanos(t).value(0.91)
                .eventIds(List.of("flow:41", "flow:42"))
                .topContributions(List.of(new Contribution("domain.half_open_ratio", 0.97, 0.52))).build();
        scan = store.admit(Alert.builder().id("3f2a9c1e-0000-4000-8000-000000000001").rule("portscan").entityId("10.0.0.5")
                .timestampNanos(t).severity(Severity.HIGH).title("port scan from 10.0.0.5").scores(List.of(score))
                .tags(List.of("attack.t1046")).eventIds(List.of("flow:41", "flow:42")).groupBy(Map.of("src_ip", "10.0.0.5"))
                .build()).alertId();
        store.admit(Alert.builder().id("77aa0000-0000-4000-8000-000000000002").rule("dns_tunnel").entityId("host-1")
                .timestampNanos(t).severity(Severity.LOW).title("long DNS names").build());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    /** Runs the command as Karaf would after parsing: options in fields, the rest as arguments. */
    private String run(String action, String... arguments) {
        AlertsCommand command = new AlertsCommand();
        command.alerts = store;
        command.log = log;
        command.action = action;
        command.arguments = arguments.length == 0 ? null : List.of(arguments);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getConsole") ? console : null);
        Subject user = new Subject();
        roles.forEach(r -> user.getPrincipals().add(new RolePrincipal(r)));
        Subject.doAs(user, (PrivilegedAction<Object>) command::execute); // as Karaf runs a command
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsWithFiltersAndCounts() {
        String table = run("list");
        assertTrue(table.contains("3f2a9c1e") && table.contains("77aa0000") && table.contains("Severity"), table);
        String plain = run("list", "--no-format", "--severity", "high");
        assertEquals(1, plain.strip().lines().count(), plain);
        assertTrue(plain.startsWith(scan + "\tHIGH\tnew\tportscan\t10.0.0.5\t1\t"), plain);
        assertEquals("2", run("list", "--count").strip());
        assertEquals("1", run("list", "--count", "--rule", "dns*").strip());
        assertEquals("0", run("list", "--count", "--state", "resolved").strip());
        assertEquals("2", run("list", "--count", "--since", "1h").strip());
        String limited = run("list", "--limit", "1");
        assertTrue(limited.contains("showing 1 to 1 of 2 (--offset 1 for the next ones)"), limited);
        assertTrue(run("list", "--entity", "nobody").contains("no alerts match"));
    }

    @Test
    void showsOneByAShortIdWithEvidenceAndHistory() {
        run("ack", "3f2a", "--comment", "on it");
        String out = run("show", "3f2a");
        assertTrue(out.startsWith("Alert " + scan + "\n"), out);
        assertTrue(out.contains("state        acknowledged"), out);
        assertTrue(out.contains("tags         attack.t1046"), out);
        assertTrue(out.contains("group by     src_ip=10.0.0.5"), out);
        assertTrue(out.contains("models       iforest@1.0.2"), out);
        assertTrue(out.contains("Explanation\n  iforest 1.0.2: 0.910 from domain.half_open_ratio = 0.9700 (weight 0.520)\n"), out);
        assertTrue(out.contains("Evidence: 2 events\n  flow:41  the event bus is not running\n  flow:42  the event bus is not running\n"), out);
        assertTrue(out.contains("iforest 1.0.2  0.910  10.0.0.5"), out);
        assertTrue(out.contains("domain.half_open_ratio = 0.9700 (weight 0.520)"), out);
        assertTrue(out.contains("shell  new -> acknowledged  \"on it\""), out);
    }

    @Test
    void telemetryTextReachesTheTerminalWithoutItsControlCharacters() {
        // A name a device on the watched network chose: it would clear the screen, write a fake line and set the clipboard.
        String entity = "host:evil\u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007";
        String hostile = store.admit(Alert.builder().id("99bb0000-0000-4000-8000-000000000003").rule("dns_tunnel").entityId(entity)
                .timestampNanos(System.currentTimeMillis() * 1_000_000L).severity(Severity.HIGH)
                .title("long name\nALERT 00000000 resolved by admin\rok\u202e").build()).alertId();
        for (String out : List.of(run("list"), run("list", "--no-format"), run("show", hostile), run("ack", hostile, "--comment", "x\u001b[8m"),
                run("show", hostile))) {
            assertTrue(out.chars().noneMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x202e), out);
        }
        String shown = run("show", hostile);
        assertTrue(shown.contains("entity       host:evil\\u001b[2J\\u001b]52;c;cm0gLXJmIH4=\\u0007\n"), shown);
        assertTrue(shown.contains("title        long name\\u000aALERT 00000000 resolved by admin\\u000dok\\u202e\n"), shown);
        assertTrue(shown.contains("\"x\\u001b[8m\""), shown);
        assertTrue(shown.lines().noneMatch(l -> l.startsWith("ALERT")), "no line of its own:\n" + shown);
        String plain = run("list", "--no-format", "--severity", "high", "--rule", "dns*");
        assertEquals(1, plain.lines().count(), plain);
        assertEquals(8, plain.strip().split("\t").length, plain);
    }

    @Test
    void evidenceIdsAreShownWithTheEventsTheBusStores() {
        TelemetryEvent stored = TelemetryEvent.builder().agentId("flow").sequence(41).entityId("host:10.0.0.5").kind("flow")
                .timestampNanos(1_764_145_264_117_000_000L).label("dst", "10.0.0.9").label("dport", "22").build();
        log = new EventLog() {
            @Override
            public Optional<LoggedEvent> find(String agentId, long sequence) {
                return agentId.equals("flow") && sequence == 41 ? Optional.of(new LoggedEvent(7, 3, stored)) : Optional.empty();
            }

            @Override
            public Cursor open(String consumer, Set<String> kinds) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Cursor range(long fromOffset, long toOffset, Set<String> kinds) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long offsetAt(Instant time) {
                return 0;
            }

            @Override
            public long nextOffset() {
                return 8;
            }
        };
        String out = run("show", "3f2a");
        assertTrue(out.contains("Evidence: 2 events\n  flow:41  flow  host:10.0.0.5  2025-11-26T08:21:04.117Z  log 7/3  {dport=22, dst=10.0.0.9}\n"
                + "  flow:42  not in the log (removed by retention, or never stored)\n"), out);
    }

    @Test
    void aViewerListsAndShowsButCannotAct() {
        roles = Set.of("viewer");
        assertTrue(run("show", "3f2a").startsWith("Alert " + scan));
        for (String action : new String[] {"ack", "resolve", "fp", "suppress", "unsuppress"}) {
            SecurityException refused = assertThrows(SecurityException.class, () -> run(action, scan));
            assertEquals("amoskys:alerts " + action + " needs one of the roles admin, operator; this shell user has viewer",
                    refused.getMessage());
        }
        assertTrue(run("show", "3f2a").contains("state        new"), "nothing changed");
    }

    @Test
    void lifecycleAndClearErrors() {
        assertEquals("alert " + scan + ": new -> acknowledged\n", run("ack", scan));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> run("ack", scan));
        assertEquals("alert " + scan + " is acknowledged already", again.getMessage());
        NoSuchElementException unknown = assertThrows(NoSuchElementException.class, () -> run("resolve", "ffff"));
        assertEquals("no alert ffff (amoskys:alerts lists them)", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run("resolve"));
        assertThrows(IllegalArgumentException.class, () -> run("resolve", scan, "--suppress"));
        assertThrows(IllegalArgumentException.class, () -> run("frobnicate"));
        assertThrows(IllegalArgumentException.class, () -> run("ack", scan, "--bogus"));
        assertEquals("alert " + scan + ": acknowledged -> resolved\n", run("resolve", scan, "-m", "fixed"));
    }

    @Test
    void falsePositiveWithSuppressionAndSuppressions() {
        String out = run("fp", "77aa", "--suppress", "--expires", "7d", "--comment", "resolver of the lab");
        assertTrue(out.startsWith("alert 77aa0000-0000-4000-8000-000000000002: new -> false_positive\nsuppression s-"), out);
        assertTrue(out.contains("rule dns_tunnel on entity host-1, until "), out);
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(Alert.builder().id("x").rule("dns_tunnel").entityId("host-1")
                .title("t").build()).outcome());

        String made = run("suppress", "--rule", "portscan", "--entity", "10.0.0.*", "--reason", "scanner subnet");
        assertTrue(made.matches("suppression s-[0-9a-f]{12} added: rule portscan on entity 10\\.0\\.0\\.\\*, until removed\n"), made);
        String id = made.substring("suppression ".length(), "suppression ".length() + 14);
        assertThrows(IllegalArgumentException.class, () -> run("suppress", "--rule", "x"));
        assertThrows(IllegalArgumentException.class, () -> run("suppress", "--entity", "e", "--expires", "soon"));

        String list = run("suppressions", "--no-format");
        assertEquals(2, list.strip().lines().count(), list);
        assertTrue(list.contains("dns_tunnel\thost-1\tactive\t"), list);
        assertTrue(list.contains("1\t"), "one hit: " + list);

        assertTrue(run("unsuppress", id).startsWith("suppression " + id + " removed"));
        assertEquals(1, run("suppressions", "--no-format").strip().lines().count());
        assertEquals(2, run("suppressions", "--all", "--no-format").strip().lines().count());
        assertThrows(IllegalStateException.class, () -> run("unsuppress", id));
    }
}
