package io.amoskys.responder.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The responder against the real kernel: two network namespaces joined by a veth pair, an
 * attacker (10.231.0.1 and .5, fd00:231::1 and ::5) and a victim (10.231.0.2, fd00:231::2) that
 * runs a TCP listener and the responder's nft. A block must make the attacker's connection
 * attempts from the blocked address fail, leave its other address alone, and end at undo or at
 * its timeout. Runs only as root with nft installed; the host's own ruleset is never touched.
 */
class NftablesKernelTest {
    private static final String NFT = "/usr/sbin/nft";
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid() % 100_000);
    private static final String ATTACKER = "amk-att-" + SUFFIX;
    private static final String VICTIM = "amk-vic-" + SUFFIX;
    private static final int PORT = 8231;
    private static final String SERVER = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET6)",
            "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('::', int(sys.argv[1])))",
            "s.listen(64)",
            "print('ready', flush=True)",
            "while True:",
            "    c, _ = s.accept()",
            "    c.sendall(b'hi')",
            "    c.close()");
    private static final String CLIENT = String.join("\n",
            "import socket, sys",
            "src, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])",
            "c = socket.create_connection((dst, port), timeout=1.0, source_address=(src, 0))",
            "sys.exit(0 if c.recv(2) == b'hi' else 1)");

    private static boolean namespacesMade;
    private static Process listener;

    @BeforeAll
    static void namespaces() throws Exception {
        String uid = run("id", "-u").output.strip();
        assumeTrue(uid.equals("0"), () -> skip("not root (uid " + uid + "): nft and network namespaces need root"));
        assumeTrue(Files.isExecutable(Path.of(NFT)), () -> skip(NFT + " is absent: install the nftables package"));
        namespacesMade = true;
        must("ip", "netns", "add", ATTACKER);
        must("ip", "netns", "add", VICTIM);
        must("ip", "link", "add", "amka" + SUFFIX, "netns", ATTACKER, "type", "veth", "peer", "name", "amkv" + SUFFIX, "netns", VICTIM);
        for (String[] a : new String[][] {{ATTACKER, "amka", "10.231.0.1/24"}, {ATTACKER, "amka", "10.231.0.5/24"},
                {VICTIM, "amkv", "10.231.0.2/24"}}) {
            must("ip", "-n", a[0], "addr", "add", a[2], "dev", a[1] + SUFFIX);
        }
        for (String[] a : new String[][] {{ATTACKER, "amka", "fd00:231::1/64"}, {ATTACKER, "amka", "fd00:231::5/64"},
                {VICTIM, "amkv", "fd00:231::2/64"}}) {
            // nodad: the address is usable at once instead of after duplicate address detection.
            must("ip", "-n", a[0], "addr", "add", a[2], "dev", a[1] + SUFFIX, "nodad");
        }
        for (String[] a : new String[][] {{ATTACKER, "amka"}, {VICTIM, "amkv"}}) {
            must("ip", "-n", a[0], "link", "set", a[1] + SUFFIX, "up");
            must("ip", "-n", a[0], "link", "set", "lo", "up");
        }
        listener = new ProcessBuilder("ip", "netns", "exec", VICTIM, "python3", "-c", SERVER, Integer.toString(PORT))
                .redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("ready", first, "the victim's listener did not start (python3 is needed)");
    }

    private static String skip(String why) {
        System.out.println("NftablesKernelTest skipped: " + why);
        return why;
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        if (listener != null) {
            listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (namespacesMade) {
            // Deleting a namespace deletes its veth end, its addresses and its nftables ruleset.
            run("ip", "netns", "del", ATTACKER);
            run("ip", "netns", "del", VICTIM);
        }
    }

    private static NftablesResponder responder(Map<String, Object> config) {
        Map<String, Object> values = new HashMap<>(config);
        values.put("commandPrefix", new String[] {"ip", "netns", "exec", VICTIM});
        NftablesResponder responder = new NftablesResponder(Configs.nftables(values));
        assertEquals(List.of(), responder.configurationProblems());
        return responder;
    }

    private static Action action(String id, NftablesResponder responder, String address, Duration lasts) {
        Alert alert = Alert.builder().id("alert-" + id).rule("scan").entityId("host:" + address).title("scan").build();
        ActionRequest request = responder.plan(alert).get(0);
        return new Action(id, "nftables", alert.id(), alert.rule(), alert.entityId(),
                lasts == null ? request : request.lasting(lasts), 1);
    }

    @Test
    void aBlockDropsTheAddressUntilUndone() throws Exception {
        NftablesResponder responder = responder(Map.of());
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "connects before any block");
        Action first = action("act-1", responder, "10.231.0.1", null);

        assertSucceeded("blocked 10.231.0.1 for 600 s", responder.execute(first));
        assertFalse(connects("10.231.0.1", "10.231.0.2"), "the blocked address's packets are dropped");
        assertTrue(connects("10.231.0.5", "10.231.0.2"), "another address of the same host still connects");

        assertSucceeded("blocked", responder.execute(first));
        String table = nft("list", "table", "inet", "amoskys");
        assertEquals(4, count(table, " drop"), "two drop rules in each of input and forward, never more: " + table);

        // A new configuration (other priority, no forward chain) converges the table in place.
        NftablesResponder changed = responder(Map.of("priority", -20, "hooks", new String[] {"input"}));
        Action second = action("act-2", changed, "10.231.0.1", null);
        assertSucceeded("blocked", changed.execute(second));
        table = nft("list", "table", "inet", "amoskys");
        assertEquals(2, count(table, " drop"), table);
        assertFalse(table.contains("chain forward"), table);
        assertFalse(connects("10.231.0.1", "10.231.0.2"), "still blocked under the new configuration");

        // The block now belongs to act-2: undoing act-1 leaves it, undoing act-2 lifts it.
        assertSucceeded("left in place", changed.undo(first));
        assertFalse(connects("10.231.0.1", "10.231.0.2"), "undoing a superseded action leaves the block");
        assertSucceeded("unblocked 10.231.0.1", changed.undo(second));
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "connects again after undo");
        assertSucceeded("already expired", changed.undo(second));
    }

    @Test
    void anUndoAfterTheTableWasRenamedLiftsTheBlockWhereItWasMade() throws Exception {
        NftablesResponder responder = responder(Map.of());
        Action action = action("act-moved", responder, "10.231.0.1", null);
        assertSucceeded("blocked", responder.execute(action));
        assertFalse(connects("10.231.0.1", "10.231.0.2"));

        NftablesResponder renamed = responder(Map.of("table", "amoskys_moved"));
        ActionOutcome undone = renamed.undo(action);
        assertSucceeded("unblocked 10.231.0.1 from set inet amoskys blocked4", undone);
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "the block in the table it was made in is gone");
        assertFalse(nft("list", "set", "inet", "amoskys", "blocked4").contains("10.231.0.1"));
    }

    @Test
    void aBlockExpiresByItself() throws Exception {
        NftablesResponder responder = responder(Map.of());
        Action action = action("act-expiring", responder, "10.231.0.1", Duration.ofSeconds(2));
        assertSucceeded("for 2 s", responder.execute(action));
        assertTrue(nft("list", "set", "inet", "amoskys", "blocked4").contains("10.231.0.1"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (nft("list", "set", "inet", "amoskys", "blocked4").contains("10.231.0.1")) {
            assertTrue(System.nanoTime() < deadline, "the element outlived its 2 s timeout by far");
            // A failing attempt lasts its 1 s connect timeout: it paces the polling, and shows the drop.
            connects("10.231.0.1", "10.231.0.2");
        }
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "connects once the block expired");
        assertSucceeded("already expired", responder.undo(action));
    }

    @Test
    void blocksIpv6Addresses() throws Exception {
        NftablesResponder responder = responder(Map.of());
        Action action = action("act-v6", responder, "fd00:231:0:0:0:0:0:1", null);
        assertEquals("fd00:231::1", action.request().target().value());
        assertSucceeded("set inet amoskys blocked6", responder.execute(action));
        assertFalse(connects("fd00:231::1", "fd00:231::2"), "the blocked IPv6 address's packets are dropped");
        assertTrue(connects("fd00:231::5", "fd00:231::2"), "another IPv6 address still connects");
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "the host's IPv4 address is not blocked");
        assertSucceeded("unblocked", responder.undo(action));
        assertTrue(connects("fd00:231::1", "fd00:231::2"));
    }

    @Test
    void anInterfaceLimitsTheDropToPacketsArrivingThere() throws Exception {
        NftablesResponder onVeth = responder(Map.of("interface", "amkv" + SUFFIX));
        Action action = action("act-iface", onVeth, "10.231.0.1", null);
        assertSucceeded("iifname \"amkv" + SUFFIX + "\" ip saddr @blocked4 drop", onVeth.execute(action));
        assertFalse(connects("10.231.0.1", "10.231.0.2"), "dropped on the interface it arrives on");

        NftablesResponder onLoopback = responder(Map.of("interface", "lo"));
        assertSucceeded("iifname \"lo\"", onLoopback.execute(action));
        assertTrue(nft("list", "set", "inet", "amoskys", "blocked4").contains("10.231.0.1"));
        assertTrue(connects("10.231.0.1", "10.231.0.2"), "not dropped when it arrives on another interface");
        assertSucceeded("unblocked", onLoopback.undo(action));
    }

    private static void assertSucceeded(String expected, ActionOutcome outcome) {
        assertEquals(ActionOutcome.Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains(expected), "expected '" + expected + "' in " + outcome.output());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Whether a TCP connection from the attacker's address reaches the victim's listener within 1 s. */
    private static boolean connects(String source, String destination) throws Exception {
        return run("ip", "netns", "exec", ATTACKER, "python3", "-c", CLIENT, source, destination, Integer.toString(PORT)).exit == 0;
    }

    private static String nft(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", VICTIM, NFT));
        line.addAll(List.of(args));
        Result r = run(line.toArray(String[]::new));
        assertEquals(0, r.exit, r.output);
        return r.output;
    }

    private record Result(int exit, String output) {}

    private static void must(String... command) throws Exception {
        Result r = run(command);
        assertEquals(0, r.exit, String.join(" ", command) + ": " + r.output);
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return new Result(p.exitValue(), output);
    }
}
