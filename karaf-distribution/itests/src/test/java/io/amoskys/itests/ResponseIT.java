package io.amoskys.itests;

import static io.amoskys.itests.Commands.run;
import static io.amoskys.itests.Commands.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
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
 * action until approved or until it expires unrun. The notifying responders (webhook, syslog over
 * TCP, MQTT, e-mail) send the same alerts to real receivers the test starts: a webhook endpoint, an
 * octet-counting syslog listener, mosquitto with a mosquitto_sub, GreenMail's SMTP server; actions
 * waiting for receivers that are down survive a kill -9 of the container and are each delivered
 * once after the restart. Needs root, nftables, iproute2, nmap, python3, mosquitto and
 * mosquitto-clients (.ci/test installs them); the table {@code inet amoskys} is removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseIT {
    /** The action's own state in its JSON (a receipt's body is a string, whose quotes are escaped). */
    private static final Pattern ACTION_STATE = Pattern.compile("\"state\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern APPROVAL_REQUIRED = Pattern.compile("\"approvalRequired\"\\s*:\\s*true");
    private static final Pattern RETRY_RECEIPT = Pattern.compile("\"kind\"\\s*:\\s*\"retry\"");
    private static final String NS = "amoskys-attacker";
    private static final String HOST_END = "amoskysR";
    private static final String ATTACKER_END = "amoskysS";
    private static final String HOST_IP = "10.214.0.1";
    private static final String NET = "10.214.0.";
    private static final String ALLOWLISTED = NET + "3";
    private static final long BLOCK_SECONDS = 15;
    /** The notifying responders besides the webhook, each one factory configuration with a receiver of its own. */
    private static final List<String> NOTIFIERS = List.of("syslog-it", "mqtt-it", "email-it");
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final String MAIL_FROM = "amoskys@example.org";
    private static final String MAIL_TO = "soc@example.org";

    private KarafInstance karaf;
    private ServerSocket listener;
    private Thread acceptor;
    private final Receiver receiver = new Receiver();
    /** Receivers on ports picked at the start, left down until test 8's restart, then up to the end. */
    private SyslogReceiver syslog;
    private Broker broker;
    private GreenMail mail;
    private int smtpPort;

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces and nftables need root");
        tearDownNetwork();
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", ATTACKER_END);
        sh("ip", "link", "set", ATTACKER_END, "netns", NS);
        sh("ip", "addr", "add", HOST_IP + "/24", "dev", HOST_END);
        sh("ip", "link", "set", HOST_END, "up");
        for (int i = 2; i <= 12; i++) {
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
        // Retries quick enough for a test: 1, 2, 4, 4, 4 s apart, six attempts in all, 15 s from the
        // first to the last: test 8 must kill the container within those 15 s, and does so as soon as
        // each of its four actions waits for a retry (3 to 7 s after the first attempt).
        // breakerFailures: each responder has a breaker of its own, opened by that many of its failed
        // attempts in a row. 20 lets the webhook fail all six attempts of test 9; in test 8 four
        // responders fail at the same time, two to four attempts each before the kill, which stays
        // under 20 even added up, should failures ever be counted across responders (the description
        // of breakerFailures in ResponseConfig says they are; the engine and docs/RESPONSE.md say not).
        karaf.configure("io.amoskys.response", java.util.Map.of("retryBaseSeconds", "1", "retryMaxSeconds", "4",
                "maxAttempts", "6", "breakerFailures", "20"));
        karaf.configure("io.amoskys.responder.webhook-it", java.util.Map.of("amoskys.plugin.name", "webhook-it",
                "url", "http://127.0.0.1:" + receiver.port() + "/hooks/T0KEN", ".secret", "it-secret"));
        // The other notifiers' receivers: ports picked now, nothing listening on them until test 8 starts them.
        syslog = new SyslogReceiver(Ports.free());
        broker = new Broker(Ports.free(), karaf.home.resolveSibling("mosquitto"));
        smtpPort = Ports.free();
        karaf.configure("io.amoskys.responder.syslog-it", java.util.Map.of("amoskys.plugin.name", "syslog-it",
                "host", "127.0.0.1", "port", Integer.toString(syslog.port), "transport", "tcp", "format", "rfc5424"));
        karaf.configure("io.amoskys.responder.mqtt-it", java.util.Map.of("amoskys.plugin.name", "mqtt-it",
                "brokerUrl", "tcp://127.0.0.1:" + broker.port, "topic", "amoskys/alerts/{{alert.rule}}"));
        karaf.configure("io.amoskys.responder.email-it", java.util.Map.of("amoskys.plugin.name", "email-it",
                "host", "127.0.0.1", "port", Integer.toString(smtpPort), "security", "none", "from", MAIL_FROM, "to", MAIL_TO));
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
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (listener != null) {
                listener.close();
            }
            receiver.stop();
            if (syslog != null) {
                syslog.stop();
            }
            if (broker != null) {
                broker.stop();
            }
            if (mail != null) {
                mail.stop();
            }
            tearDownNetwork();
            run(List.of("nft", "delete", "table", "inet", "amoskys"));
        }
    }

    @Test
    @Order(1)
    void anUnarmedResponderOnlyRecordsWhatItWouldHaveDone() throws Exception {
        String responders = karaf.client("amoskys:actions responders");
        assertTrue(responders.contains("dry-run"), responders);
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
        Eventually.await("approval to be required", Duration.ofSeconds(60), () -> restGet("/amoskys/api/v1/responders/nftables"),
                out -> APPROVAL_REQUIRED.matcher(out).find());
        assertTrue(karaf.client("amoskys:actions responders").contains("required"), "the shell shows it too");
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
        sendScansToTheNotifiersToo();
        karaf.client("amoskys:actions arm webhook-it");
        receiver.answer(503);
        String id = scanAndAwaitAction(NET + 8, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port())[0];
        Eventually.await("a retry of " + id, Duration.ofSeconds(60), () -> restGet("/amoskys/api/v1/actions/" + id),
                shown -> RETRY_RECEIPT.matcher(shown).find());
        receiver.answer(200);
        awaitState(id, "done");
        assertEquals(1, receiver.delivered(id), "delivered once: " + receiver.log());
        assertTrue(receiver.attempts(id) >= 2, "refused first: " + receiver.log());
        assertTrue(receiver.signed(id), "signed with the configured secret");
    }

    /**
     * One alert, four notifying responders, four receivers down: the webhook answers 503, and nothing
     * listens yet on the syslog, MQTT and SMTP ports. Once each action has failed and waits for its
     * retry, the container is killed (kill -9); the receivers come up while it is down, and after the
     * restart each action runs again under its id and each receiver gets its message exactly once.
     * Merged into one test so that the container is killed and restarted only once.
     */
    @Test
    @Order(8)
    void actionsWaitingForTheirReceiversSurviveAKillAndAreEachDeliveredOnce() throws Exception {
        assertTrue(Files.isExecutable(MOSQUITTO) && Files.isExecutable(MOSQUITTO_SUB),
                "mosquitto and mosquitto_sub are needed: apt-get install -y mosquitto mosquitto-clients (.ci/test does)");
        // One client call for the three (each call costs a second or two of CI).
        String armed = karaf.client(NOTIFIERS.stream().map(name -> "amoskys:actions arm " + name).collect(Collectors.joining("; ")));
        for (String name : NOTIFIERS) {
            assertTrue(armed.contains("Responder " + name + " is armed"), armed);
        }
        receiver.answer(503);
        String[] webhook = scanAndAwaitAction(NET + 9, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port());
        String alert = webhook[5];
        List<String> responders = new ArrayList<>(NOTIFIERS);
        responders.add(0, "webhook-it");
        // One listing per probe (an `actions show` per action would take seconds each): an action that
        // is queued again after an attempt was retried. The kill must come before the sixth attempt.
        Map<String, String[]> waiting = Eventually.await("each notifier's action on alert " + alert + " to wait for a retry",
                Duration.ofSeconds(60), () -> actionsOn(alert, responders), byResponder -> byResponder.values().stream()
                        .allMatch(a -> a[2].equals("queued") && a[7].startsWith("attempt ")));
        Map<String, String> ids = new LinkedHashMap<>();
        waiting.forEach((name, action) -> ids.put(name, action[0]));
        assertEquals(webhook[0], ids.get("webhook-it"));
        int captures = KarafInstance.occurrences(karaf.log(), "Capturing on " + HOST_END);
        karaf.killHard();

        receiver.answer(200);
        syslog.start();
        broker.start();
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        smtp.setServerStartupTimeout(30_000);
        mail = new GreenMail(smtp);
        mail.start();
        karaf.start();
        karaf.awaitAllActive();
        Eventually.await("the capture to run again", Duration.ofSeconds(60), karaf::log,
                log -> KarafInstance.occurrences(log, "Capturing on " + HOST_END) > captures);
        // actionsOn fails at once on a failed action, or on a second action of a responder on the alert.
        Map<String, String[]> done = Eventually.await("the four actions to be done after the restart", Duration.ofSeconds(60),
                () -> actionsOn(alert, responders), byResponder -> byResponder.values().stream().allMatch(a -> a[2].equals("done")));
        done.forEach((name, action) -> assertEquals(ids.get(name), action[0], name + "'s action is still the same one action"));
        for (Map.Entry<String, String> shown : show(ids.values()).entrySet()) {
            assertTrue(shown.getValue().contains(" retry ") && shown.getValue().contains(" executed "),
                    "retried before the kill, executed after it: " + shown.getValue());
        }
        String verified = karaf.client("amoskys:actions verify");
        assertTrue(verified.contains("chain intact"), verified);

        // Counted last, so that a second delivery has had the time the checks above took to arrive too.
        assertEquals(1, receiver.delivered(ids.get("webhook-it")), "delivered once after the restart: " + receiver.log());

        String syslogId = ids.get("syslog-it");
        assertEquals(List.of(), syslog.framingErrors(), "RFC 6587 octet counting");
        List<String> messages = syslog.messages().stream().filter(m -> m.contains(" actionId=\"" + syslogId + "\"")).toList();
        assertEquals(1, messages.size(), "one syslog message for " + syslogId + ": " + syslog.messages());
        Matcher rfc5424 = Pattern.compile("<(\\d{1,3})>1 \\S+ \\S+ amoskys - ALERT \\[amoskys@32473 actionId=\"([^\"]+)\" alertId=\"([^\"]+)\"")
                .matcher(messages.get(0));
        assertTrue(rfc5424.lookingAt(), "RFC 5424 with the action as structured data: " + messages.get(0));
        assertEquals(4, Integer.parseInt(rfc5424.group(1)) / 8, "facility auth: " + messages.get(0));
        assertEquals(syslogId, rfc5424.group(2), messages.get(0));
        assertEquals(alert, rfc5424.group(3), messages.get(0));
        assertTrue(messages.get(0).contains(" responder=\"syslog-it\""), messages.get(0));

        String mqttId = ids.get("mqtt-it");
        List<JsonObject> published = new ArrayList<>();
        for (String[] m : broker.received()) {
            JsonObject payload = (JsonObject) Jsoner.deserialize(m[1]);
            if (mqttId.equals(payload.getString("actionId"))) {
                assertTrue(m[0].startsWith("amoskys/alerts/"), "the configured topic: " + m[0]);
                published.add(payload);
            }
        }
        assertEquals(1, published.size(), "one publish for " + mqttId + ": " + broker.log());
        assertEquals("mqtt-it", published.get(0).getString("responder"));
        assertEquals(alert, ((JsonObject) published.get(0).get("alert")).getString("id"), published.get(0).toJson());

        String emailId = ids.get("email-it");
        List<MimeMessage> mails = Arrays.stream(mail.getReceivedMessages())
                .filter(m -> emailId.equals(header(m, "X-Amoskys-Action-Id"))).toList();
        assertEquals(1, mails.size(), "one e-mail for " + emailId + " of " + mail.getReceivedMessages().length);
        assertEquals(alert, header(mails.get(0), "X-Amoskys-Alert-Id"));
        assertEquals("<amoskys." + emailId + "@example.org>", mails.get(0).getMessageID());
        assertEquals(MAIL_TO, mails.get(0).getAllRecipients()[0].toString());
    }

    @Test
    @Order(9)
    void receiversDownForGoodEndInFailedReceipts() throws Exception {
        receiver.answer(503);
        syslog.stop();
        broker.stop();
        if (mail != null) {
            mail.stop();
        }
        String[] webhook = scanAndAwaitAction(NET + 10, "webhook-it", "recipient:http://127.0.0.1:" + receiver.port());
        String alert = webhook[5];
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("webhook-it", webhook[0]);
        for (String name : NOTIFIERS) {
            ids.put(name, Eventually.await(name + "'s action on alert " + alert, Duration.ofSeconds(30),
                    () -> actions(name).stream().filter(a -> a[5].equals(alert)).map(a -> a[0]).findFirst(),
                    Optional::isPresent).orElseThrow());
        }
        for (Map.Entry<String, String> action : ids.entrySet()) {
            Eventually.await("the last attempt of " + action.getKey() + "'s action " + action.getValue(), Duration.ofSeconds(60),
                    () -> state(action.getValue()), "failed"::equals);
        }
        for (Map.Entry<String, String> shown : show(ids.values()).entrySet()) {
            assertTrue(shown.getValue().contains("gave up after 6 attempts"), shown.getValue());
        }
        assertEquals(0, receiver.delivered(ids.get("webhook-it")));
        assertEquals(6, receiver.attempts(ids.get("webhook-it")), "maxAttempts: " + receiver.log());
    }

    /**
     * Another scanner spends the minute's one action just before the attacker's first alert, which is
     * refused. The alert store counts the attacker's later scans into its open alert and passes none
     * on to the responders; once the minute has room and the alert was raised again, the refused
     * alert is offered again and the attacker blocked.
     */
    @Test
    @Order(10)
    void anAttackerRefusedForNowIsBlockedOnceItsAlertIsRaisedAgain() throws Exception {
        karaf.configure("io.amoskys.response", java.util.Map.of("approval", "", "ratePerMinute", "1"));
        Eventually.await("approval no longer required", Duration.ofSeconds(60), () -> restGet("/amoskys/api/v1/responders/nftables"),
                out -> !APPROVAL_REQUIRED.matcher(out).find());
        String other = scanAndAwaitAction(NET + 11)[0];
        awaitState(other, "active");
        String attacker = NET + 12;
        String[] refused = scanAndAwaitAction(attacker);
        assertEquals("refused", refused[2], String.join(" | ", refused));
        assertTrue(refused[7].startsWith("rate limit") && refused[7].contains("offered again"), refused[7]);
        assertTrue(connects(attacker), "refused: not blocked");

        // The attacker keeps scanning. The rule stays quiet for a minute after it fires, so it is a
        // scan after that minute that raises the alert again; one every 20 s, at most six.
        String blocked = null;
        for (int scan = 1; scan <= 6 && blocked == null; scan++) {
            sh("ip", "netns", "exec", NS, "nmap", "-n", "-Pn", "-sS", "-e", ATTACKER_END, "-S", attacker, "-p", "1-200",
                    "--max-retries", "0", "-T4", HOST_IP);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (blocked == null && System.nanoTime() < deadline) {
                blocked = actions("nftables").stream().filter(a -> a[4].equals("address:" + attacker) && !a[0].equals(refused[0])
                        && !a[2].equals("refused")).map(a -> a[0]).findFirst().orElse(null);
                if (blocked == null) {
                    Thread.sleep(500); // a pause between two probes of the REST API
                }
            }
        }
        assertTrue(blocked != null, "the attacker's alert was never offered again: " + actions("nftables").stream()
                .filter(a -> a[4].equals("address:" + attacker)).map(a -> String.join(" | ", a)).toList());
        String id = blocked;
        awaitState(id, "active");
        assertFalse(connects(attacker), "blocked once its alert was raised again");
        assertEquals(refused[5], actions("nftables").stream().filter(a -> a[0].equals(id)).findFirst().orElseThrow()[5],
                "the alert refused before is the one acted on");
        String metrics = karaf.httpGet("/metrics");
        // The notifiers armed in test 8 have a minute's one action each too: their refusals were held and offered as well.
        Matcher offered = Pattern.compile("(?m)^amoskys_response_held_alerts_offered_total (\\d+)$").matcher(metrics);
        assertTrue(offered.find() && Long.parseLong(offered.group(1)) >= 1, metrics);
        assertTrue(karaf.client("amoskys:actions verify").contains("chain intact"));
    }

    @Test
    @Order(11)
    void aBrokenResponderConfigurationIsRefusedWithItsReasonAndNothingIsArmed() throws Exception {
        karaf.configure("io.amoskys.responder.webhook-bad", java.util.Map.of("amoskys.plugin.name", "webhook-bad",
                "url", "htp:/nowhere", "template", "{{alert.nope}}"));
        karaf.configure("io.amoskys.responder.syslog-bad", java.util.Map.of("amoskys.plugin.name", "syslog-bad",
                "host", "300.1.2.3", "port", "514", "transport", "udp"));
        // A malformed interface name (over 15 characters); one that merely does not exist now is no problem.
        karaf.setProperty("io.amoskys.responder.nftables", "interface", "nosuch0-far-too-long");
        Eventually.await("the three responders' problems", Duration.ofSeconds(60), () -> restGet("/amoskys/api/v1/responders"),
                out -> out.contains("webhook-bad") && out.contains("nosuch0") && out.contains("300.1.2.3"));
        String responders = karaf.client("amoskys:actions --no-format responders");
        assertTrue(responders.contains("webhook-bad") && responders.contains("nosuch0") && responders.contains("300.1.2.3")
                && responders.contains("alert.nope") && responders.contains("htp"), responders);
        for (String name : List.of("webhook-bad", "syslog-bad", "nftables")) {
            KarafInstance.ClientResult arm = karaf.clientResult("amoskys:actions arm " + name);
            assertTrue(arm.exitCode() != 0 && arm.output().contains("cannot be armed"), arm.output());
        }
        List<String> rows = Arrays.stream(karaf.client("amoskys:actions --no-format responders").split("\\R"))
                .filter(l -> l.startsWith("webhook-bad\t") || l.startsWith("syslog-bad\t") || l.startsWith("nftables\t")).toList();
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(l -> l.contains("dry-run")), "nothing armed, the armed nftables disarmed: " + rows);
    }

    @Test
    @Order(12)
    void twoRespondersOfOneNameAreReportedAndTheSecondServesOnceTheFirstGoes() throws Exception {
        karaf.configure("io.amoskys.responder.syslog-twin1", java.util.Map.of("amoskys.plugin.name", "syslog-twin",
                "host", "192.0.2.1", "port", "514", "transport", "udp"));
        Eventually.await("the first syslog-twin", Duration.ofSeconds(60), () -> karaf.client("amoskys:actions --no-format responders"),
                out -> out.lines().anyMatch(l -> l.startsWith("syslog-twin\tinstalled")));
        // The second, told apart by its problem: a host that is no address.
        karaf.configure("io.amoskys.responder.syslog-twin2", java.util.Map.of("amoskys.plugin.name", "syslog-twin",
                "host", "300.2.2.2", "port", "514", "transport", "udp"));
        Eventually.await("the second refused for its name", Duration.ofSeconds(60), karaf::log,
                log -> log.contains("Two action responders are named syslog-twin"));
        assertFalse(karaf.client("amoskys:actions --no-format responders").contains("300.2.2.2"), "the first one still serves");

        java.nio.file.Files.delete(karaf.home.resolve("etc/io.amoskys.responder.syslog-twin1.cfg"));
        Eventually.await("the second serving once the first went", Duration.ofSeconds(60),
                () -> karaf.client("amoskys:actions --no-format responders"),
                out -> out.lines().anyMatch(l -> l.startsWith("syslog-twin\tinstalled") && l.contains("300.2.2.2")));
    }

    // ---- helpers

    /** The default flow route, with the port-scan alerts also going to the test's webhook, syslog, MQTT and e-mail responders. */
    private void sendScansToTheNotifiersToo() throws Exception {
        java.nio.file.Path flows = karaf.routes().resolve("flows.yaml");
        String route = java.nio.file.Files.readString(flows);
        String nftables = "                    - to: \"amoskys:responder/nftables?tags=attack.t1046&minSeverity=medium&whenMissing=skip\"\n";
        assertTrue(route.contains(nftables), route);
        List<String> notifiers = new ArrayList<>(NOTIFIERS);
        notifiers.add(0, "webhook-it");
        StringBuilder steps = new StringBuilder(nftables);
        for (String name : notifiers) {
            steps.append("                    - to: \"amoskys:responder/").append(name).append("?tags=attack.t1046&minSeverity=medium\"\n");
        }
        java.nio.file.Files.writeString(flows, route.replace(nftables, steps));
        Eventually.await("the route with the notifiers' steps", Duration.ofSeconds(60), karaf::status,
                s -> notifiers.stream().allMatch(name -> s.endpoints().keySet().stream()
                        .anyMatch(uri -> uri.startsWith("amoskys:responder/" + name + "?"))));
    }

    /**
     * The actions of these responders about the alert, by responder, from one listing; fails at once
     * when one of them has failed, or when a responder has more than one.
     */
    private Map<String, String[]> actionsOn(String alert, List<String> responders) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String[] a : listedActions()) {
            if (a[5].equals(alert) && responders.contains(a[1])) {
                if (a[2].equals("failed") || out.put(a[1], a) != null) {
                    throw new AssertionError("action " + a[0] + " of " + a[1] + " on alert " + alert + ": " + String.join(" | ", a));
                }
            }
        }
        if (!out.keySet().containsAll(responders)) {
            throw new IllegalStateException("actions on alert " + alert + " only of " + out.keySet());
        }
        return out;
    }

    /** {@code amoskys:actions show} of each action, in one client call: what it shows, by id. */
    private Map<String, String> show(java.util.Collection<String> ids) {
        String out = karaf.client(ids.stream().map(id -> "amoskys:actions show " + id).collect(Collectors.joining("; ")));
        Map<String, String> shown = new LinkedHashMap<>();
        for (String id : ids) {
            int from = out.indexOf("Action      " + id);
            assertTrue(from >= 0, "no " + id + " in " + out);
            int to = ids.stream().mapToInt(other -> out.indexOf("Action      " + other)).filter(at -> at > from).min().orElse(out.length());
            shown.put(id, out.substring(from, to));
        }
        return shown;
    }

    /** Scans the host from {@code source} and waits for the nftables responder's action on it. */
    private String[] scanAndAwaitAction(String source) throws Exception {
        return scanAndAwaitAction(source, "nftables", "address:" + source);
    }

    /**
     * Scans the host from {@code source} and waits for the responder's new action on the target about
     * an alert on that host. Each probe is one REST listing: polled through the shell, twice a second
     * for up to a minute, these waits were most of the class's SSH logins, and a burst of them is when
     * the container's SSH server stopped accepting connections in CI (see KarafInstance).
     */
    private String[] scanAndAwaitAction(String source, String responder, String target) throws Exception {
        java.util.Set<String> before = actions(responder).stream().map(a -> a[0]).collect(java.util.stream.Collectors.toSet());
        sh("ip", "netns", "exec", NS, "nmap", "-n", "-Pn", "-sS", "-e", ATTACKER_END, "-S", source, "-p", "1-200",
                "--max-retries", "0", "-T4", HOST_IP);
        return Eventually.await(responder + "'s action on " + source, Duration.ofSeconds(90), () -> actions(responder).stream()
                .filter(a -> (a[4].equals(target) || a[4].startsWith(target + "/")) && !before.contains(a[0])
                        && a[8].equals("host:" + source))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The responder's actions, newest first, as {@link #listedActions()} gives them. */
    private List<String[]> actions(String responder) {
        return listedActions().stream().filter(a -> a[1].equals(responder)).toList();
    }

    /**
     * Every action, newest first, from the REST API ({@code GET /amoskys/api/v1/actions}, as admin),
     * in the columns of {@code amoskys:actions --no-format} (id, responder, state, verb, target,
     * alert, created, output) and then the alert's entity, which the shell shows only per action.
     */
    private List<String[]> listedActions() {
        String listing = restGet("/amoskys/api/v1/actions?limit=1000");
        if (!(Jsoner.deserialize(listing, new JsonObject()).get("actions") instanceof org.apache.camel.util.json.JsonArray listed)) {
            throw new IllegalStateException("GET actions answered no list of actions: " + listing);
        }
        List<String[]> actions = new ArrayList<>();
        for (Object element : listed) {
            JsonObject a = (JsonObject) element;
            actions.add(new String[] {a.getString("id"), a.getString("responder"), a.getString("state"), a.getString("verb"),
                a.getString("target"), a.getString("alertId"), String.valueOf(a.get("createdMillis")),
                java.util.Objects.toString(a.getString("output"), ""), a.getString("entity")});
        }
        return actions;
    }

    /**
     * The action's state, from the REST API ({@code GET /amoskys/api/v1/actions/ID}, as admin): the
     * waits on a state (an expiry, a responder's retries) last up to minutes, and a shell listing
     * twice a second was most of this class's SSH logins. The shell's listing gives the same label.
     */
    private String state(String id) {
        String action = restGet("/amoskys/api/v1/actions/" + id);
        Matcher state = ACTION_STATE.matcher(action);
        if (!state.find()) {
            throw new IllegalStateException("GET action " + id + " answered no state: " + action);
        }
        return state.group(1);
    }

    /**
     * The body of a GET of the REST API as admin; any answer but 200 is a RuntimeException, so that
     * {@link Eventually} asks again until its deadline.
     */
    private String restGet(String path) {
        HttpResponse<String> answer;
        try {
            answer = karaf.http("GET", path, KarafInstance.basic("admin", karaf.initialAdminPassword()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
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

    /**
     * The test's syslog receiver on a port picked up front, started when the test says: a TCP server
     * that insists on RFC 6587 octet counting ("MSG-LEN SP MSG", what the responder sends); anything
     * else is a framing error.
     */
    private static final class SyslogReceiver {
        final int port;
        private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
        private final List<String> framingErrors = Collections.synchronizedList(new ArrayList<>());
        private ServerSocket server;

        SyslogReceiver(int port) {
            this.port = port;
        }

        void start() throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread thread = new Thread(this::accept, "response-it-syslog");
            thread.setDaemon(true);
            thread.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(10_000);
                    readFrames(socket.getInputStream());
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        framingErrors.add(e.toString());
                    }
                }
            }
        }

        private void readFrames(InputStream in) throws IOException {
            while (true) {
                ByteArrayOutputStream digits = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= '0' && b <= '9' && digits.size() < 10) {
                    digits.write(b);
                }
                if (b < 0 && digits.size() == 0) {
                    return; // the sender closed between two frames
                }
                if (b != ' ' || digits.size() == 0 || digits.toByteArray()[0] == '0') {
                    framingErrors.add("expected MSG-LEN SP, got '" + digits + "' then byte " + b);
                    return;
                }
                int length = Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
                byte[] message = in.readNBytes(length);
                if (message.length != length) {
                    framingErrors.add("a frame of " + length + " bytes ended after " + message.length);
                    return;
                }
                messages.add(new String(message, StandardCharsets.UTF_8));
            }
        }

        List<String> messages() {
            synchronized (messages) {
                return new ArrayList<>(messages);
            }
        }

        List<String> framingErrors() {
            synchronized (framingErrors) {
                return new ArrayList<>(framingErrors);
            }
        }

        void stop() throws IOException {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * A real mosquitto on a port picked up front, started when the test says (as MqttIT starts it),
     * with a mosquitto_sub subscribed to the alerts' topics before anything can be published.
     */
    private static final class Broker {
        private static final String SUBSCRIBER = "amoskys-it-subscriber";
        final int port;
        private final Path dir;
        private final List<String> log = Collections.synchronizedList(new ArrayList<>());
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private Process mosquitto;
        private Process subscriber;

        Broker(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        void start() throws IOException {
            Files.createDirectories(dir);
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
            mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-v", "-c", config.toString()).redirectErrorStream(true).start();
            follow(mosquitto, log, "mosquitto-output");
            Eventually.await("mosquitto to listen on " + port, Duration.ofSeconds(30), () -> alive(mosquitto, log),
                    l -> l.contains("Opening ipv4 listen socket on port " + port));
            // Payloads are one-line JSON: "TOPIC<tab>PAYLOAD" per message, flushed as each arrives.
            subscriber = new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-i", SUBSCRIBER, "-q", "1", "-F", "%t\\t%p", "-t", "amoskys/alerts/#").redirectErrorStream(true).start();
            follow(subscriber, lines, "mosquitto-sub-output");
            Eventually.await("mosquitto_sub's subscription", Duration.ofSeconds(30), () -> alive(subscriber, log),
                    l -> l.contains("Sending SUBACK to " + SUBSCRIBER));
        }

        private static String alive(Process p, List<String> log) {
            String text = snapshot(log);
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + ": " + text);
            }
            return text;
        }

        private static void follow(Process p, List<String> into, String name) {
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        into.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, name);
            reader.setDaemon(true);
            reader.start();
        }

        private static String snapshot(List<String> lines) {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** What the subscriber got: topic and payload of each message. */
        List<String[]> received() {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains("\t")).map(l -> l.split("\t", 2)).toList();
            }
        }

        String log() {
            return "subscriber: " + snapshot(lines) + "; broker: " + snapshot(log);
        }

        void stop() throws InterruptedException {
            for (Process p : Arrays.asList(subscriber, mosquitto)) {
                if (p != null && p.isAlive()) {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /** A header of a received message, or null. */
    private static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? null : values[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
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
}
