package io.amoskys.responder.email;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responder against GreenMail, a real SMTP server started here (plain, and implicit TLS). */
class EmailResponderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String TITLE = "Port scan from 10.9.0.2 – Grüße";

    @TempDir
    static Path certificates;
    private static TestCertificates tls;
    @TempDir
    Path dir;
    private GreenMail mail;

    @BeforeAll
    static void makeCertificates() throws Exception {
        tls = new TestCertificates(certificates);
        // GreenMail's SMTPS reads its key at each start: ours names "localhost" only.
        System.setProperty("greenmail.tls.keystore.file", tls.serverKeyStore.toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TestCertificates.PASSWORD);
    }

    @AfterEach
    void stop() {
        if (mail != null) {
            mail.stop();
        }
    }

    private int start(String protocol, GreenMailConfiguration configuration) {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol)).withConfiguration(configuration);
        mail.start();
        return protocol.equals(ServerSetup.PROTOCOL_SMTPS) ? mail.getSmtps().getPort() : mail.getSmtp().getPort();
    }

    private static EmailResponder email(Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.putIfAbsent("host", "127.0.0.1");
        properties.putIfAbsent("from", "amoskys@example.org");
        properties.putIfAbsent("to", new String[] {"soc@example.org", "oncall@example.net"});
        return new EmailResponder(Configs.email(properties), CLOCK);
    }

    @Test
    void mailsTheAlertWithHeadersBodyAndDotStuffing() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTP, GreenMailConfiguration.aConfig());
        EmailResponder email = email(Map.of("security", "none", "port", port,
                "body", "{{alert.title}}\\n.\\n..two dots\\n.hidden line\\nrule {{alert.rule}} on {{alert.entity}}, "
                        + "src {{alert.groupBy.src}} ({{alert.groupBy}}) at {{alert.time}} tags {{alert.tags}}"));
        assertEquals(List.of(), email.configurationProblems());

        ActionRequest request = email.plan(Alerts.alert(TITLE)).get(0);
        assertEquals("notify", request.verb());
        assertEquals(Target.recipient("soc@example.org,oncall@example.net"), request.target());
        assertEquals("e-mail alert alert-1 to soc@example.org, oncall@example.net via 127.0.0.1:" + port + " (none)",
                request.description());
        assertNull(request.lasts());

        ActionOutcome outcome = email.execute(Alerts.action("3f2a-act-1", request, 1));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("SMTP 127.0.0.1:" + port + " (none): accepted for 2 of 2 recipients: 250"),
                outcome.output());
        assertTrue(outcome.output().contains("> MAIL FROM:<amoskys@example.org>"), outcome.output());

        assertTrue(mail.waitForIncomingEmail(10_000, 2));
        MimeMessage got = mail.getReceivedMessages()[0];
        assertEquals("[AMOSKYS] HIGH: " + TITLE, got.getSubject());
        assertEquals(new InternetAddress("amoskys@example.org", "AMOSKYS"), got.getFrom()[0]);
        assertArrayEquals(new InternetAddress[] {new InternetAddress("soc@example.org"), new InternetAddress("oncall@example.net")},
                got.getRecipients(Message.RecipientType.TO));
        assertEquals("<amoskys.3f2a-act-1@example.org>", got.getMessageID());
        assertEquals(Instant.parse("2026-03-01T12:00:00Z"), got.getSentDate().toInstant());
        assertEquals("Sun, 1 Mar 2026 12:00:00 +0000", got.getHeader("Date")[0]);
        assertEquals("auto-generated", got.getHeader("Auto-Submitted")[0]);
        assertEquals("3f2a-act-1", got.getHeader("X-Amoskys-Action-Id")[0]);
        assertEquals("alert-1", got.getHeader("X-Amoskys-Alert-Id")[0]);
        assertTrue(got.getContentType().startsWith("text/plain; charset=UTF-8"), got.getContentType());
        assertEquals("quoted-printable", got.getEncoding());
        // GreenMail keeps the CRLF that ends the last line as part of the terminator, hence none at the end.
        assertEquals(TITLE + "\r\n.\r\n..two dots\r\n.hidden line\r\nrule scan on host:10.9.0.2, src 10.9.0.2 (src=10.9.0.2) "
                + "at 2023-11-14T22:13:20.123Z tags attack.t1046,attack.discovery", got.getContent());

        String raw = GreenMailUtil.getWholeMessage(got);
        assertTrue(raw.contains("Subject: =?UTF-8?B?"), "a non-ASCII subject is encoded: " + raw);
        assertTrue(raw.contains("Gr=C3=BC=C3=9Fe"), "the body is quoted-printable UTF-8: " + raw);
    }

    @Test
    void aResentActionIsTheSameMessage() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTP, GreenMailConfiguration.aConfig());
        EmailResponder email = email(Map.of("security", "none", "port", port, "to", new String[] {"soc@example.org"},
                "bodyEncoding", "base64"));
        ActionRequest request = email.plan(Alerts.alert(TITLE)).get(0);
        assertEquals(Status.SUCCEEDED, email.execute(Alerts.action("act-2", request, 1)).status());
        assertEquals(Status.SUCCEEDED, email.execute(Alerts.action("act-2", request, 2)).status());
        assertTrue(mail.waitForIncomingEmail(10_000, 2));
        MimeMessage first = mail.getReceivedMessages()[0];
        MimeMessage second = mail.getReceivedMessages()[1];
        assertEquals(first.getMessageID(), second.getMessageID());
        assertEquals(first.getSentDate(), second.getSentDate());
        assertEquals("base64", second.getEncoding());
        assertEquals(first.getContent(), second.getContent());
        assertTrue(((String) second.getContent()).startsWith(TITLE + "\r\n\r\nSeverity: HIGH\r\n"), (String) second.getContent());
    }

    @Test
    void authenticatesOverImplicitTls() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTPS, GreenMailConfiguration.aConfig().withUser("soc@example.org", "alice", "s3cret"));
        Path passwordFile = Files.writeString(dir.resolve("password"), "s3cret\n");
        EmailResponder email = email(Map.of("host", "localhost", "security", "tls", "port", port,
                "trustStore", tls.trustStore.toString(), ".trustStorePassword", TestCertificates.PASSWORD,
                "username", "alice", "passwordFile", passwordFile.toString()));
        assertEquals(List.of(), email.configurationProblems());
        ActionOutcome outcome = email.execute(Alerts.action("act-tls", email.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("(TLS TLSv1."), outcome.output());
        assertTrue(outcome.output().contains("> AUTH PLAIN (credentials)\n< 235"), outcome.output());
        assertFalse(outcome.output().contains(java.util.Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes())),
                "no credentials in the receipt");
        assertTrue(mail.waitForIncomingEmail(10_000, 2));
    }

    @Test
    void aRefusedPasswordFailsForGood() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTPS, GreenMailConfiguration.aConfig().withUser("soc@example.org", "alice", "s3cret"));
        EmailResponder email = email(Map.of("host", "localhost", "security", "tls", "port", port,
                "trustStore", tls.trustStore.toString(), ".trustStorePassword", TestCertificates.PASSWORD,
                "username", "alice", ".password", "wrong"));
        ActionOutcome outcome = email.execute(Alerts.action("act-auth", email.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("AUTH PLAIN refused: 535"), outcome.output());
        assertFalse(outcome.output().contains("wrong"), "no password in the receipt");
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void authenticatesInClearTextOnlyWhenAllowed() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTP, GreenMailConfiguration.aConfig().withUser("soc@example.org", "alice", "s3cret"));
        Map<String, Object> config = Map.of("security", "none", "port", port, "username", "alice", ".password", "s3cret");
        assertTrue(email(config).configurationProblems().stream().anyMatch(p -> p.contains("AUTH without TLS")));
        Map<String, Object> allowed = new HashMap<>(config);
        allowed.put("allowAuthWithoutTls", true);
        EmailResponder email = email(allowed);
        assertEquals(List.of(), email.configurationProblems());
        ActionOutcome outcome = email.execute(Alerts.action("act-clear", email.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
    }

    @Test
    void aCertificateThatDoesNotNameTheHostFails() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTPS, GreenMailConfiguration.aConfig());
        // The certificate names "localhost"; connecting to 127.0.0.1 must not accept it.
        EmailResponder byAddress = email(Map.of("host", "127.0.0.1", "security", "tls", "port", port,
                "trustStore", tls.trustStore.toString(), ".trustStorePassword", TestCertificates.PASSWORD));
        ActionOutcome outcome = byAddress.execute(Alerts.action("act-name", byAddress.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("not trusted or does not name 127.0.0.1"), outcome.output());

        EmailResponder untrusted = email(Map.of("host", "localhost", "security", "tls", "port", port));
        outcome = untrusted.execute(Alerts.action("act-trust", untrusted.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("not trusted"), outcome.output());
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void aServerThatIsDownIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EmailResponder email = email(Map.of("security", "none", "port", closedPort));
        ActionOutcome outcome = email.execute(Alerts.action("act-down", email.plan(Alerts.alert(TITLE)).get(0), 1));
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("ConnectException"), outcome.output());
    }
}
