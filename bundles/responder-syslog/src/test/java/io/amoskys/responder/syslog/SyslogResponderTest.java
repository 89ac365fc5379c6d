package io.amoskys.responder.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ServerSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syslog responder against real UDP, TCP and TLS listeners started here. */
class SyslogResponderTest {
    private static final String TITLE = "Port scan \"fast\" | a=b \\ c ] d\nsecond line é";
    private static final String RULE = "scan|\"x\"=]";

    @TempDir
    Path dir;

    private static SyslogResponder syslog(Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.putIfAbsent("host", "127.0.0.1");
        properties.putIfAbsent("hostname", "sensor-1");
        return new SyslogResponder(Configs.syslog(properties));
    }

    private static Alert alert() {
        return Alert.builder().id("alert-1").rule(RULE).entityId("host:10.9.0.2").severity(Severity.HIGH)
                .title(TITLE).timestampNanos(1_700_000_000_123_456_789L)
                .tags(List.of("attack.t1046", "attack.discovery")).eventIds(List.of("agent:7")).build();
    }

    private static Action action(String id, ActionRequest request) {
        return new Action(id, "syslog", "alert-1", RULE, "host:10.9.0.2", request, 1);
    }

    @Test
    void sendsRfc5424OverUdpWithTheAlertAsStructuredData() throws Exception {
        try (Listener listener = Listener.udp()) {
            SyslogResponder syslog = syslog(Map.of("transport", "udp", "port", listener.port()));
            assertEquals(List.of(), syslog.configurationProblems());
            ActionRequest request = syslog.plan(alert()).get(0);
            String recipient = "udp://127.0.0.1:" + listener.port();
            assertEquals("notify", request.verb());
            assertEquals(Target.recipient(recipient), request.target());
            assertEquals("send alert alert-1 (HIGH, rule " + RULE + ") as rfc5424 syslog to " + recipient,
                    request.description());
            assertNull(request.lasts());

            ActionOutcome outcome = syslog.execute(action("act-1", request));
            assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("UDP gives no delivery guarantee"), outcome.output());

            String raw = listener.next();
            Received.Syslog m = Received.rfc5424(raw);
            assertEquals(4 * 8 + 3, m.pri(), "facility auth (4), severity err (3) for HIGH");
            assertEquals("2023-11-14T22:13:20.123456Z", m.timestamp());
            assertEquals("sensor-1", m.hostname());
            assertEquals("amoskys", m.appName());
            assertEquals("-", m.procId());
            assertEquals("ALERT", m.msgId());
            assertEquals("amoskys@32473", m.sdId());
            assertEquals("act-1", m.param("actionId"));
            assertEquals("alert-1", m.param("alertId"));
            assertEquals(RULE, m.param("rule"), "SD escaping of \" \\ ] is undone exactly");
            assertEquals("host:10.9.0.2", m.param("entity"));
            assertEquals("HIGH", m.param("severity"));
            assertEquals("syslog", m.param("responder"));
            assertEquals(List.of("attack.t1046", "attack.discovery"), m.params("tag"));
            assertTrue(raw.contains("rule=\"scan|\\\"x\\\"=\\]\""), raw);
            assertEquals("\uFEFFHIGH alert " + RULE + " on host:10.9.0.2: " + TITLE.replace('\n', ' '), m.msg(),
                    "one line, UTF-8 with its BOM as RFC 5424 asks");
        }
    }

    @Test
    void sendsOctetCountedFramesOverTcpAndTheSameBytesOnARetry() throws Exception {
        try (Listener listener = Listener.stream(ServerSocketFactory.getDefault())) {
            SyslogResponder syslog = syslog(Map.of("port", listener.port(), "facility", "local4", "appName", "ids"));
            ActionRequest request = syslog.plan(alert()).get(0);
            ActionOutcome first = syslog.execute(action("act-2", request));
            assertEquals(Status.SUCCEEDED, first.status(), first.output());
            assertTrue(first.output().matches("sent \\d+ bytes, octet-counted, to tcp://127\\.0\\.0\\.1:\\d+"), first.output());
            ActionOutcome again = syslog.execute(new Action("act-2", "syslog", "alert-1", RULE, "host:10.9.0.2", request, 2));
            assertEquals(Status.SUCCEEDED, again.status(), again.output());

            String a = listener.next();
            String b = listener.next();
            assertEquals(a, b, "a retry repeats the message, action id included, for the receiver to drop");
            assertTrue(first.output().startsWith("sent " + a.getBytes(StandardCharsets.UTF_8).length + " bytes"));
            Received.Syslog m = Received.rfc5424(a);
            assertEquals(20 * 8 + 3, m.pri());
            assertEquals("ids", m.appName());
            assertEquals("act-2", m.param("actionId"));
            assertTrue(listener.framingErrors.isEmpty(), listener.framingErrors.toString());
        }
    }

    @Test
    void sendsCefWithItsEscaping() throws Exception {
        try (Listener listener = Listener.stream(ServerSocketFactory.getDefault())) {
            SyslogResponder syslog = syslog(Map.of("port", listener.port(), "format", "cef"));
            ActionOutcome outcome = syslog.execute(action("act-3", syslog.plan(alert()).get(0)));
            assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());

            String raw = listener.next();
            Received.Syslog m = Received.rfc5424(raw);
            assertNull(m.sdId(), "CEF travels as the message of an RFC 5424 header without structured data");
            assertEquals(4 * 8 + 3, m.pri());
            String cefText = m.msg();
            assertTrue(cefText.startsWith("CEF:0|AMOSKYS|AMOSKYS|1.0|scan\\|\"x\"=]|Port scan \"fast\" \\| a=b \\\\ c ] d second line é|8|"),
                    cefText);
            assertTrue(cefText.contains(" msg=Port scan \"fast\" | a\\=b \\\\ c ] d\\nsecond line é "), cefText);

            Received.CefRecord cef = Received.cef(cefText);
            assertEquals(List.of("0", "AMOSKYS", "AMOSKYS", "1.0", RULE, TITLE.replace('\n', ' '), "8"), cef.header());
            assertEquals("act-3", cef.extension().get("externalId"));
            assertEquals(TITLE, cef.extension().get("msg"), "= \\ and the newline survive the extension escaping");
            assertEquals("1700000000123", cef.extension().get("rt"));
            assertEquals("alertId", cef.extension().get("cs1Label"));
            assertEquals("alert-1", cef.extension().get("cs1"));
            assertEquals("host:10.9.0.2", cef.extension().get("cs2"));
            assertEquals("attack.t1046,attack.discovery", cef.extension().get("cs3"));
            assertEquals("syslog", cef.extension().get("cs4"));
            assertEquals("10.9.0.2", cef.extension().get("src"));
        }
    }

    @Test
    void anEntityWithLineBreaksStaysInOneMessage() {
        // An entity comes from telemetry: a remote agent or a device on the watched network shapes it.
        AlertFacts facts = new AlertFacts("action-1", "syslog", "alert-1", RULE, "host:10.9.0.2\n<11>1 - forged\r\nx",
                Severity.HIGH, "t", List.of("attack\nt1046"), 1_700_000_000_123_456_789L);
        String message = Rfc5424.message(new SyslogSettings(Configs.syslog(Map.of("host", "127.0.0.1", "hostname", "sensor-1"))), facts);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertTrue(message.contains(" entity=\"host:10.9.0.2 <11>1 - forged x\""), message);
    }

    @Test
    void cefSeveritiesSpanZeroToTen() {
        assertEquals(List.of(1, 3, 5, 8, 10),
                List.of(Severity.values()).stream().map(Cef::severity).toList());
        assertEquals(List.of(6, 5, 4, 3, 2),
                List.of(Severity.values()).stream().map(Rfc5424::severity).toList());
    }

    @Test
    void sendsOverTlsToAReceiverWhoseCertificateIsTrustedAndNamesTheHost() throws Exception {
        TestCertificates certs = TestCertificates.make(dir.resolve("good"), "ip:127.0.0.1,dns:localhost");
        Path passwordFile = Files.writeString(dir.resolve("trust.pw"), TestCertificates.PASSWORD + "\n");
        try (Listener listener = Listener.stream(certs.serverSockets())) {
            SyslogResponder pem = syslog(Map.of("transport", "tls", "port", listener.port(), "trustFile", certs.pem().toString()));
            assertEquals(List.of(), pem.configurationProblems());
            ActionOutcome outcome = pem.execute(action("act-4", pem.plan(alert()).get(0)));
            assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("(TLS TLSv1.3, certificate verified)"), outcome.output());
            assertEquals("act-4", Received.rfc5424(listener.next()).param("actionId"));

            SyslogResponder store = syslog(Map.of("transport", "tls", "port", listener.port(),
                    "trustFile", certs.trustStore().toString(), "trustPasswordFile", passwordFile.toString()));
            assertEquals(List.of(), store.configurationProblems());
            assertEquals(Status.SUCCEEDED, store.execute(action("act-5", store.plan(alert()).get(0))).status());
            assertEquals("act-5", Received.rfc5424(listener.next()).param("actionId"));

            // The JVM's default trust store does not know the test's certificate.
            SyslogResponder untrusted = syslog(Map.of("transport", "tls", "port", listener.port()));
            ActionOutcome refused = untrusted.execute(action("act-6", untrusted.plan(alert()).get(0)));
            assertEquals(Status.FAILED, refused.status(), refused.output());
            assertTrue(refused.output().contains("certificate is refused"), refused.output());
        }
    }

    @Test
    void refusesACertificateThatDoesNotNameTheHost() throws Exception {
        TestCertificates certs = TestCertificates.make(dir.resolve("other"), "dns:other.example");
        try (Listener listener = Listener.stream(certs.serverSockets())) {
            SyslogResponder syslog = syslog(Map.of("transport", "tls", "port", listener.port(), "trustFile", certs.pem().toString()));
            ActionOutcome outcome = syslog.execute(action("act-7", syslog.plan(alert()).get(0)));
            assertEquals(Status.FAILED, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("127.0.0.1"), outcome.output());
            assertTrue(listener.messages.isEmpty());
        }
    }

    @Test
    void aRefusedConnectionOrASilentReceiverIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SyslogResponder refused = syslog(Map.of("port", closedPort));
        ActionOutcome outcome = refused.execute(action("act-8", refused.plan(alert()).get(0)));
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("ConnectException"), outcome.output());

        // Connections complete in the kernel's backlog, but nobody ever answers the TLS handshake.
        TestCertificates certs = TestCertificates.make(dir.resolve("silent"), "ip:127.0.0.1");
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            SyslogResponder tls = syslog(Map.of("transport", "tls", "port", silent.getLocalPort(),
                    "trustFile", certs.pem().toString(), "ioTimeoutSeconds", 1));
            ActionOutcome timedOut = tls.execute(action("act-9", tls.plan(alert()).get(0)));
            assertEquals(Status.RETRY, timedOut.status(), timedOut.output());
            assertTrue(timedOut.output().contains("SocketTimeoutException"), timedOut.output());
        }
    }

    @Test
    void anActionWithoutTheAlertsFieldsFails() {
        SyslogResponder syslog = syslog(Map.of("port", 514));
        ActionRequest bare = ActionRequest.of("notify", Target.recipient("tcp://127.0.0.1:514"), "send");
        ActionOutcome outcome = syslog.execute(action("act-10", bare));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("no parameter 'severity'"), outcome.output());
    }

    @Test
    void reportsBadConfiguration() throws Exception {
        assertProblem(Map.of("transport", "smtp"), "transport 'smtp' is none of udp, tcp, tls");
        assertProblem(Map.of("format", "leef"), "format 'leef' is neither rfc5424 nor cef");
        assertProblem(Map.of("host", ""), "host is missing");
        assertProblem(Map.of("host", "exa mple.org"), "is no host name");
        assertProblem(Map.of("host", "300.1.2.3"), "is no IPv4 address");
        assertProblem(Map.of("host", "fe80::1::2"), "is no IPv6 address");
        assertProblem(Map.of("port", 70000), "port must be from 1 to 65535");
        assertProblem(Map.of("port", -1), "port must be from 1 to 65535");
        assertProblem(Map.of("facility", "local9"), "facility 'local9' is neither a name");
        assertProblem(Map.of("facility", "24"), "facility '24'");
        assertProblem(Map.of("appName", "my app"), "appName 'my app' must be 1 to 48 printable ASCII");
        assertProblem(Map.of("hostname", "x".repeat(256)), "hostname");
        assertProblem(Map.of("sdId", "amoskys"), "sdId 'amoskys' is no private SD-ID");
        assertProblem(Map.of("sdId", "a=b@1"), "is no private SD-ID");
        assertProblem(Map.of("transport", "tls", "trustFile", dir.resolve("absent.pem").toString()),
                "trustFile " + dir.resolve("absent.pem") + " cannot be read");
        Path notCertificates = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertProblem(Map.of("transport", "tls", "trustFile", notCertificates.toString()), "cannot be read as certificates");
        assertProblem(Map.of("transport", "udp", "trustFile", notCertificates.toString()), "are for transport tls");
        assertProblem(Map.of("transport", "tls", "trustPasswordFile", "/x", ".trustPassword", "y"),
                "both trustPasswordFile and .trustPassword");
        assertProblem(Map.of("transport", "tls", "trustPasswordFile", dir.resolve("absent.pw").toString()),
                "trustPasswordFile " + dir.resolve("absent.pw") + " cannot be read");
        assertProblem(Map.of("connectTimeoutSeconds", 0), "connectTimeoutSeconds must be from 1 to 3600");
        assertProblem(Map.of("amoskys.plugin.name", " "), "amoskys.plugin.name is empty");

        assertEquals(List.of(), syslog(Map.of("host", "[::1]", "transport", "udp")).configurationProblems());
        assertEquals(List.of(), syslog(Map.of("host", "logs.example.org", "facility", "17")).configurationProblems());
        assertEquals(6514, new SyslogSettings(Configs.syslog(Map.of("host", "h", "transport", "tls"))).port);
    }

    private void assertProblem(Map<String, Object> config, String expected) {
        SyslogResponder syslog = syslog(config);
        List<String> problems = syslog.configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> syslog.plan(alert()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        ActionOutcome outcome = syslog.execute(action("act-bad", ActionRequest.of("notify", Target.recipient("x"), "send")));
        assertEquals(Status.FAILED, outcome.status());
    }
}
