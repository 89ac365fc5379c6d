package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Responses with real parts: the test joins a network namespace of its own (the attacker) to the
 * host by a veth pair, captures on the host's end, and scans the host with nmap from one of the
 * attacker's addresses at a time. The default flow route sends the port-scan alert to the
 * nftables responder, and the test checks in the kernel what happened: dry-run changes nothing,
 * an allowlisted address is never blocked, an armed responder's block really drops the
 * attacker's connection attempts until it is undone by hand or expires, and approval holds an
 * action until approved or until it expires unrun. Needs root, nftables, iproute2, nmap and
 * python3 (.ci/test installs them); the table {@code inet amoskys} is removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseIT {
    private static final String NS = "amoskys-attacker";
    private static final String HOST_END = "amoskysR";
    private static final String ATTACKER_END = "amoskysS";
    private static final String HOST_IP = "10.214.0.1";
    private static final String NET = "10.214.0.";
    private static final String ALLOWLISTED = NET + "3";
    private static final long BLOCK_SECONDS = 15;

    private KarafInstance karaf;
    private ServerSocket listener;
    private Thread acceptor;
    private final Receiver receiver = new Receiver();

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces and nftables need root");
        tearDownNetwork();
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", ATTACKER_END);
        sh("ip", "link", "set", ATTACKER_END, "netns", NS);
        sh("ip", "addr", "add", HOST_IP + "/24", "dev", HOST_END);
        sh("ip", "link", "set", HOST_END, "up");
        for (int i = 2; i <= 10; i++) {
            sh("ip", "netns", "exec", NS, "ip", "addr", "add", NET + i + "/24", "dev", ATTACKER_END);
        }
        sh("ip", "netns", "exec", NS, "ip", "link", "set", ATTACKER_END, "up");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up");

        // What the attacker tries to reach: a plain TCP listener on the host's end.
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getByName(HOST_IP), 0));
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    s.getOutputStream().write('+');
                } catch (java.io.IOException closed) {
                    // closed at the end
                }
            }
        }, "response-it-listener");
        acceptor.setDaemon(true);
        acceptor.start();

        receiver.start();
        karaf = KarafInstance.unpack("response");
        karaf.setProperty("io.amoskys.response", "allow", ALLOWLISTED);
        // Retries quick enough for a test: 1, 2, 4, 4, 4 s apart, six attempts in all; the receiver's
        // failures in a row must not open the webhook's breaker before the last one.
        karaf.configure("io.amoskys.response", java.util.Map.of("retryBaseSeconds", "1", "retryMaxSeconds", "4",
                "maxAttempts", "6", "breakerFailures", "20"));
        karaf.configure("io.amoskys.responder.webhook-it", java.util.Map.of("amoskys.plugin.name", "webhook-it",
                "url", "http://127.0.0.1:" + receiver.port() + "/hooks/T0KEN", ".secret", "it-secret"));
        karaf.setProperty("io.amoskys.responder.nftables", "blockSeconds", Long.toString(BLOCK_SECONDS));
        karaf.start();
        karaf.awaitAllActive();
        // A second reader of the flow agent that logs each flow: when a scan's alert is late, the log
        // tells whether its flows were.
        java.nio.file.Files.writeString(karaf.routes().resolve("watch.yaml"), """
                - route:
                    id: watch-flows
                    from:
                      uri: amoskys:agent/flow
                      steps:
                        - to: "log:io.amoskys.itests.flows?showAll=false&showBody=true&showBodyType=false&showExchangePattern=false"
                """);
        karaf.client("amoskys:capture --filter \"net " + NET + "0/24\" start " + HOST_END);
        Eventually.await("libpcap to capture on " + HOST_END, Duration.ofSeconds(60), karaf::log,
                log -> log.contains("Capturing on " + HOST_END));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (listener != null) {
            listener.close();
        }
        receiver.stop();
        tearDownNetwork();
        run(List.of("nft", "delete", "table", "inet", "amoskys"));
    }

    @Test
    @Order(1)
    void anUnarmedResponderOnlyRecordsWhatItWouldHaveDone() throws Exception {
        assertTrue(karaf.client("amoskys:actions responders").contains("dry-run"), karaf.client("amoskys:actions responders"));
        String[] action = scanAndAwaitAction(NET + 2);
        assertEquals("dry_run", action[2], String.join(" | ", action));
        assertTrue(action[7].startsWith("would have: drop packets from " + NET + 2), action[7]);
        assertTrue(connects(NET + 2), "nothing was blocked");
        assertFalse(blocked(NET + 2), nftSet());
    }

    @Test
    @Order(2)
    void anAllowlistedAddressIsNeverBlockedWhateverTheAlertSays() throws Exception {
        assertTrue(karaf.client("amoskys:actions arm nftables").contains("armed"));
        String[] action = scanAndAwaitAction(ALLOWLISTED);
        assertEquals("refused", action[2], String.join(" | ", action));
        assertTrue(action[7].contains("allowlisted"), action[7]);
        assertTrue(connects(ALLOWLISTED));
        assertFalse(blocked(ALLOWLISTED), nftSet());
    }

    @Test
    @Order(3)
    void anArmedResponderBlocksTheScannerUntilAnOperatorUndoesIt() throws Exception {
        String attacker = NET + 4;
        assertTrue(connects(attacker), "reachable before the scan");
        String id = scanAndAwaitAction(attacker)[0];
        awaitState(id, "active");
        assertTrue(blocked(attacker), nftSet());
        assertFalse(connects(attacker), "the block drops the attacker's packets");
        assertTrue(connects(ALLOWLISTED), "and only the attacker's");

        karaf.client("amoskys:actions undo " + id);
        awaitState(id, "undone");
        assertFalse(blocked(attacker), nftSet());
        assertTrue(connects(attacker), "undone: the attacker's packets pass again");
        String shown = karaf.client("amoskys:actions show " + id);
        for (String receipt : List.of("queued", "executed", "undo-requested", "undone")) {
            assertTrue(shown.contains(receipt), receipt + " in " + shown);
        }
    }

    @Test
    @Order(4)
    void aBlockEndsByItselfAtItsExpiry() throws Exception {
        String attacker = NET + 5;
        String id = scanAndAwaitAction(attacker)[0];
        awaitState(id, "active");
        assertFalse(connects(attacker));
        Eventually.await("the block's expiry after " + BLOCK_SECONDS + " s", Duration.ofSeconds(BLOCK_SECONDS + 60),
                () -> state(id), "undone"::equals);
        assertFalse(blocked(attacker), nftSet());
        assertTrue(connects(attacker));
    }

    @Test
    @Order(5)
    void anApprovedActionRunsAndAnUnapprovedOneExpiresUnrun() throws Exception {
        karaf.configure("io.amoskys.response", java.util.Map.of("approval", "nftables", "approvalTimeoutSeconds", "20"));
        Eventually.await("approval to be required", Duration.ofSeconds(60), () -> karaf.client("amoskys:actions responders"),
                out -> out.contains("required"));
        String approved = scanAndAwaitAction(NET + 6)[0];
        String expiring = scanAndAwaitAction(NET + 7)[0];
        assertEquals("awaiting_approval", state(approved));
        assertTrue(connects(NET + 6), "nothing runs before approval");
        karaf.client("amoskys:actions approve " + approved);
        awaitState(approved, "active");
        assertFalse(connects(NET + 6), "approved: blocked");
        Eventually.await("the unapproved action to expire", Duration.ofSeconds(90), () -> state(expiring), "expired"::equals);
        assertFalse(blocked(NET + 7), nftSet());
        assertTrue(connects(NET + 7), "an expired action never ran");
        assertTrue(karaf.client("amoskys:actions show " + expiring).contains("expired"));
    }

    @Test
    @Order(6)
    void everyReceiptIsChainedAndSigned() {
        String verified = karaf.client("amoskys:actions verify");
        assertTrue(verified.contains("chain intact"), verified);
        String metrics = karaf.httpGet("/metrics");
        assertTrue(metrics.contains("amoskys_response_actions{responder=\"nftables\",state=\"dry_run\"} 1"), metrics);
        assertTrue(metrics.contains("amoskys_response_actions{responder=\"nftables\",state=\"expired\"} 1"), metrics);
    }

    @Test
    @Order(7)
    void aWebhookReceiverThatIsDownIsRetriedUntilItAnswers() throws Exception {
        sendScansToTheWebhookToo();
        karaf.client("amoskys:actions arm webhook-it");
        receiver.answer(503);
        String id = scanAndAwaitAction(NET + 8, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port())[0];
        Eventually.await("a retry of " + id, Duration.ofSeconds(60), () -> karaf.client("amoskys:actions show " + id),
                shown -> shown.contains("retry"));
        receiver.answer(200);
        awaitState(id, "done");
        assertEquals(1, receiver.delivered(id), "delivered once: " + receiver.log());
        assertTrue(receiver.attempts(id) >= 2, "refused first: " + receiver.log());
        assertTrue(receiver.signed(id), "signed with the configured secret");
    }

    @Test
    @Order(8)
    void anActionWaitingForItsReceiverSurvivesAKillAndIsDeliveredOnce() throws Exception {
        receiver.answer(503);
        String id = scanAndAwaitAction(NET + 9, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port())[0];
        Eventually.await("a retry of " + id, Duration.ofSeconds(60), () -> karaf.client("amoskys:actions show " + id),
                shown -> shown.contains("retry"));
        int captures = occurrences(karaf.log(), "Capturing on " + HOST_END);
        karaf.killHard();
        receiver.answer(200);
        karaf.start();
        karaf.awaitAllActive();
        Eventually.await("the capture to run again", Duration.ofSeconds(60), karaf::log,
                log -> occurrences(log, "Capturing on " + HOST_END) > captures);
        awaitState(id, "done");
        assertEquals(1, receiver.delivered(id), "delivered once after the restart: " + receiver.log());
        assertEquals(1, actions("webhook-it").stream().filter(a -> a[0].equals(id)).count(), "the action is still one action");
        String verified = karaf.client("amoskys:actions verify");
        assertTrue(verified.contains("chain intact"), verified);
    }

    @Test
    @Order(9)
    void aReceiverDownForGoodEndsInAFailedReceipt() throws Exception {
        receiver.answer(503);
        String id = scanAndAwaitAction(NET + 10, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port())[0];
        Eventually.await("the last attempt of " + id, Duration.ofSeconds(60), () -> state(id), "failed"::equals);
        assertEquals(0, receiver.delivered(id));
        assertEquals(6, receiver.attempts(id), "maxAttempts: " + receiver.log());
        assertTrue(karaf.client("amoskys:actions show " + id).contains("gave up after 6 attempts"));
    }

    @Test
    @Order(10)
    void aBrokenResponderConfigurationIsRefusedWithItsReasonAndNothingIsArmed() throws Exception {
        karaf.configure("io.amoskys.responder.webhook-bad", java.util.Map.of("amoskys.plugin.name", "webhook-bad",
                "url", "htp:/nowhere", "template", "{{alert.nope}}"));
        karaf.setProperty("io.amoskys.responder.nftables", "interface", "nosuch0");
        String responders = Eventually.await("both responders' problems", Duration.ofSeconds(60),
                () -> karaf.client("amoskys:actions --no-format responders"),
                out -> out.contains("webhook-bad") && out.contains("nosuch0"));
        assertTrue(responders.contains("alert.nope") && responders.contains("htp"), responders);
        for (String name : List.of("webhook-bad", "nftables")) {
            KarafInstance.ClientResult arm = karaf.clientResult("amoskys:actions arm " + name);
            assertTrue(arm.exitCode() != 0 && arm.output().contains("cannot be armed"), arm.output());
        }
        List<String> rows = Arrays.stream(karaf.client("amoskys:actions --no-format responders").split("\\R"))
                .filter(l -> l.startsWith("webhook-bad\t") || l.startsWith("nftables\t")).toList();
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(l -> l.contains("dry-run")), "nothing armed, the armed nftables disarmed: " + rows);
    }

    // ---- helpers

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    /** The default flow route, with the port-scan alerts also going to the test's webhook. */
    private void sendScansToTheWebhookToo() throws Exception {
        java.nio.file.Path flows = karaf.routes().resolve("flows.yaml");
        String route = java.nio.file.Files.readString(flows);
        String nftables = "                    - to: \"amoskys:responder/nftables?tags=attack.t1046&minSeverity=medium&whenMissing=skip\"\n";
        assertTrue(route.contains(nftables), route);
        java.nio.file.Files.writeString(flows, route.replace(nftables, nftables
                + "                    - to: \"amoskys:responder/webhook-it?tags=attack.t1046&minSeverity=medium\"\n"));
        Eventually.await("the route with the webhook step", Duration.ofSeconds(60), karaf::status,
                s -> s.endpoints().keySet().stream().anyMatch(uri -> uri.startsWith("amoskys:responder/webhook-it")));
    }

    /** Scans the host from {@code source} and waits for the nftables responder's action on it. */
    private String[] scanAndAwaitAction(String source) throws Exception {
        return scanAndAwaitAction(source, "nftables", "address:" + source);
    }

    /** Scans the host from {@code source} and waits for the responder's action on the target about its alert. */
    private String[] scanAndAwaitAction(String source, String responder, String target) throws Exception {
        java.util.Set<String> before = actions(responder).stream().map(a -> a[0]).collect(java.util.stream.Collectors.toSet());
        sh("ip", "netns", "exec", NS, "nmap", "-n", "-Pn", "-sS", "-e", ATTACKER_END, "-S", source, "-p", "1-200",
                "--max-retries", "0", "-T4", HOST_IP);
        return Eventually.await(responder + "'s action on " + source, Duration.ofSeconds(90),
                () -> actions(responder).stream()
                        .filter(a -> (a[4].equals(target) || a[4].startsWith(target + "/")) && !before.contains(a[0]))
                        .filter(a -> karaf.client("amoskys:actions show " + a[0]).contains("host:" + source + ")"))
                        .findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** The responder's actions, newest first: id, responder, state, verb, target, alert, created, output. */
    private List<String[]> actions(String responder) {
        return Arrays.stream(karaf.client("amoskys:actions --no-format --limit 1000").split("\\R"))
                .map(l -> l.split("\t", -1))
                .filter(f -> f.length >= 8 && f[1].equals(responder))
                .toList();
    }

    private String state(String id) {
        for (String line : karaf.client("amoskys:actions --no-format --limit 1000").split("\\R")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals(id)) {
                return f[2];
            }
        }
        throw new AssertionError("no action " + id);
    }

    private void awaitState(String id, String state) {
        Eventually.await("action " + id + " to be " + state, Duration.ofSeconds(60), () -> state(id), state::equals);
    }

    /** Whether a TCP connection from the attacker's {@code source} address to the host's listener succeeds. */
    private boolean connects(String source) throws Exception {
        String python = "import socket,sys\n"
                + "try:\n"
                + "    s = socket.create_connection(('" + HOST_IP + "', " + listener.getLocalPort() + "), timeout=3, source_address=('"
                + source + "', 0))\n"
                + "    sys.exit(0 if s.recv(1) == b'+' else 2)\n"
                + "except OSError:\n"
                + "    sys.exit(1)\n";
        return run(List.of("ip", "netns", "exec", NS, "python3", "-c", python)) == 0;
    }

    /** The test's webhook receiver: answers with the status it is told, remembers every request. */
    private static final class Receiver {
        private final java.util.List<String[]> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile int status = 200;
        private com.sun.net.httpserver.HttpServer server;

        void start() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hooks/T0KEN", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int answer = status;
                String id = exchange.getRequestHeaders().getFirst("X-Amoskys-Action-Id");
                String stamp = exchange.getRequestHeaders().getFirst("X-Amoskys-Timestamp");
                String signature = exchange.getRequestHeaders().getFirst("X-Amoskys-Signature");
                requests.add(new String[] {id, Integer.toString(answer), stamp, signature, new String(body, StandardCharsets.UTF_8)});
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void answer(int status) {
            this.status = status;
        }

        long attempts(String id) {
            return snapshot().stream().filter(r -> id.equals(r[0])).count();
        }

        long delivered(String id) {
            return snapshot().stream().filter(r -> id.equals(r[0]) && r[1].equals("200")).count();
        }

        boolean signed(String id) throws Exception {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("it-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String[] r : snapshot()) {
                if (id.equals(r[0]) && r[1].equals("200")) {
                    String expected = "sha256=" + java.util.HexFormat.of().formatHex(
                            mac.doFinal((r[2] + "." + r[4]).getBytes(StandardCharsets.UTF_8)));
                    return expected.equals(r[3]) && r[4].contains("\"rule\"");
                }
            }
            return false;
        }

        String log() {
            return snapshot().stream().map(r -> r[0] + "=" + r[1]).toList().toString();
        }

        private List<String[]> snapshot() {
            synchronized (requests) {
                return new ArrayList<>(requests);
            }
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private static boolean blocked(String address) throws Exception {
        return nftSet().contains(address);
    }

    private static String nftSet() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "set", "inet", "amoskys", "blocked4").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static void tearDownNetwork() throws Exception {
        run(List.of("ip", "link", "del", HOST_END));
        run(List.of("ip", "netns", "del", NS));
    }

    private static void sh(String... command) throws Exception {
        assertEquals(0, run(List.of(command)), String.join(" ", command));
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        if (p.exitValue() != 0 && !command.contains("del") && !command.contains("python3")) {
            System.out.println(String.join(" ", command) + ": " + out);
        }
        return p.exitValue();
    }
}
