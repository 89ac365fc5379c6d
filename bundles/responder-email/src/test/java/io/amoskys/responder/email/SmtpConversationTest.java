package io.amoskys.responder.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS, AUTH LOGIN and the replies GreenMail never gives, against a scripted server started here. */
class SmtpConversationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path certificates;
    private static TestCertificates tls;
    private SmtpStub stub;

    @BeforeAll
    static void makeCertificates() throws Exception {
        tls = new TestCertificates(certificates);
    }

    @BeforeEach
    void start() throws Exception {
        stub = new SmtpStub(tls.serverKeyStore, TestCertificates.PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        stub.close();
    }

    private ActionOutcome send(Map<String, Object> config, String actionId) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.putIfAbsent("host", "localhost");
        properties.putIfAbsent("port", stub.port());
        properties.putIfAbsent("trustStore", tls.trustStore.toString());
        properties.putIfAbsent(".trustStorePassword", TestCertificates.PASSWORD);
        properties.putIfAbsent("from", "amoskys@example.org");
        properties.putIfAbsent("to", new String[] {"soc@example.org, oncall@example.org"});
        properties.putIfAbsent("heloName", "amoskys.example.org");
        EmailResponder email = new EmailResponder(Configs.email(properties), CLOCK);
        assertEquals(List.of(), email.configurationProblems());
        return email.execute(Alerts.action(actionId, email.plan(Alerts.alert("scan")).get(0), 1));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void upgradesWithStartTlsBeforeAuthenticating() throws Exception {
        ActionOutcome outcome = send(Map.of("username", "alice", ".password", "pw"), "act-1");
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertEquals(List.of("EHLO amoskys.example.org", "STARTTLS", "TLS EHLO amoskys.example.org",
                "TLS AUTH PLAIN " + b64("\0alice\0pw"), "TLS MAIL FROM:<amoskys@example.org>",
                "TLS RCPT TO:<soc@example.org>", "TLS RCPT TO:<oncall@example.org>", "TLS DATA", "TLS QUIT"), stub.commands);
        assertTrue(stub.nextMessage().contains("Message-ID: <amoskys.act-1@example.org>\r\n"));
        assertTrue(outcome.output().contains("accepted for 2 of 2 recipients: 250 2.0.0 queued as 42"), outcome.output());
    }

    @Test
    void usesAuthLoginWhenPlainIsNotOffered() throws Exception {
        stub.authMechanisms = "LOGIN CRAM-MD5";
        ActionOutcome outcome = send(Map.of("username", "alice", ".password", "pw"), "act-login");
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(stub.commands.containsAll(List.of("TLS AUTH LOGIN", "(user) " + b64("alice"), "(password) " + b64("pw"))),
                stub.commands.toString());
        assertFalse(outcome.output().contains(b64("pw")), outcome.output());
    }

    @Test
    void refusesToGoOnWithoutStartTls() {
        stub.offerStartTls = false;
        ActionOutcome outcome = send(Map.of("username", "alice", ".password", "pw"), "act-clear");
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("offers no STARTTLS: refusing to send in clear text"), outcome.output());
        assertEquals(List.of("EHLO amoskys.example.org"), stub.commands, "no AUTH, no MAIL in clear text");
    }

    @Test
    void refusesClearTextInjectedAfterStartTls() {
        stub.injectAfterStartTls = "250-injected\r\n250 AUTH PLAIN";
        ActionOutcome outcome = send(Map.of("username", "alice", ".password", "pw"), "act-inject");
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("sent more after its STARTTLS answer"), outcome.output());
        assertFalse(stub.commands.stream().anyMatch(c -> c.contains("AUTH")), stub.commands.toString());
    }

    @Test
    void aServerWithoutPlainOrLoginFails() {
        stub.authMechanisms = "CRAM-MD5 XOAUTH2";
        ActionOutcome outcome = send(Map.of("username", "alice", ".password", "pw"), "act-mech");
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("neither AUTH PLAIN nor AUTH LOGIN (it offers CRAM-MD5 XOAUTH2)"), outcome.output());
    }

    @Test
    void aTemporaryRecipientRefusalRetriesWithoutSending() {
        stub.replies.put("RCPT", "451 4.3.0 try again later");
        ActionOutcome outcome = send(Map.of(), "act-451");
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("RCPT TO:<soc@example.org> refused: 451 4.3.0 try again later"), outcome.output());
        assertTrue(stub.commands.contains("TLS RSET"), stub.commands.toString());
        assertFalse(stub.commands.contains("TLS DATA"), stub.commands.toString());
    }

    @Test
    void aRecipientRefusedForGoodIsLeftOut() throws Exception {
        stub.unknownRecipients.add("oncall@example.org");
        ActionOutcome some = send(Map.of(), "act-some");
        assertEquals(Status.SUCCEEDED, some.status(), some.output());
        assertTrue(some.output().contains("accepted for 1 of 2 recipients: 250 2.0.0 queued as 42; "
                + "refused: oncall@example.org (550 5.1.1 no such user)"), some.output());
        stub.nextMessage();

        stub.unknownRecipients.add("soc@example.org");
        ActionOutcome none = send(Map.of(), "act-550");
        assertEquals(Status.FAILED, none.status(), none.output());
        assertTrue(none.output().contains("every recipient refused: soc@example.org (550 5.1.1 no such user)"), none.output());
    }

    @Test
    void theServersVerdictOnTheMessageDecides() throws Exception {
        stub.replies.put(".", "452 4.3.1 insufficient system storage");
        ActionOutcome later = send(Map.of(), "act-452");
        assertEquals(Status.RETRY, later.status(), later.output());
        assertTrue(later.output().contains("the message refused: 452 4.3.1 insufficient system storage"), later.output());

        stub.replies.put(".", "554 5.7.1 message rejected as spam");
        ActionOutcome never = send(Map.of(), "act-554");
        assertEquals(Status.FAILED, never.status(), never.output());
        assertTrue(never.output().contains("554 5.7.1 message rejected as spam"), never.output());
    }

    @Test
    void aServerThatNeverAnswersIsRetried() {
        stub.silent = true;
        ActionOutcome outcome = send(Map.of("readTimeoutSeconds", 1), "act-silent");
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("no answer in time"), outcome.output());
    }

    @Test
    void dotStuffsLinesThatStartWithADot() throws Exception {
        ActionOutcome outcome = send(Map.of("body", ".\\n..\\n.x\\nplain"), "act-dots");
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        String wire = stub.nextMessage();
        assertTrue(wire.endsWith("\r\n\r\n..\r\n...\r\n..x\r\nplain\r\n"), wire);
    }
}
