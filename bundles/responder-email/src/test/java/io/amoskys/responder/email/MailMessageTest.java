package io.amoskys.responder.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message's form and the configurations the responder refuses; nothing here talks SMTP. */
class MailMessageTest {
    @Test
    void quotedPrintableKeepsLinesShortAndEncodesWhatMustBe() {
        String qp = MailMessage.quotedPrintable("a=b \nGrüße\ttab\t\n" + "x".repeat(200) + "\n");
        List<String> lines = List.of(qp.split("\r\n"));
        assertEquals("a=3Db=20", lines.get(0), "'=' and a space that ends a line are encoded");
        assertEquals("Gr=C3=BC=C3=9Fe\ttab=09", lines.get(1));
        assertTrue(lines.stream().allMatch(l -> l.length() <= 76), lines.toString());
        assertEquals("x".repeat(200), String.join("", lines.subList(2, lines.size())).replace("=", ""));
        assertTrue(qp.endsWith("\r\n"));
        assertFalse(qp.replace("\r\n", "").contains("\n") || qp.replace("\r\n", "").contains("\r"), "only CRLF");
    }

    @Test
    void subjectsStayOneHeaderWhateverTheTitleHolds() {
        String injected = MailMessage.subject("scan\r\nBcc: everyone@example.org");
        assertEquals("Subject: scan  Bcc: everyone@example.org\r\n", injected, "a line break in a title adds no header");

        String unicode = MailMessage.subject("Ω".repeat(60));
        String[] lines = unicode.split("\r\n");
        assertTrue(lines.length > 2, unicode);
        StringBuilder decoded = new StringBuilder();
        for (String line : lines) {
            assertTrue(line.length() <= 76, "RFC 2047 line limit: " + line);
            String word = line.replaceFirst("^(Subject:)? ", "");
            assertTrue(word.startsWith("=?UTF-8?B?") && word.endsWith("?="), word);
            decoded.append(new String(Base64.getDecoder().decode(word.substring(10, word.length() - 2)), StandardCharsets.UTF_8));
        }
        assertEquals("Ω".repeat(60), decoded.toString(), "words split between characters, never inside one");

        String longAscii = MailMessage.subject("word ".repeat(40).strip());
        assertTrue(longAscii.split("\r\n").length > 1);
        assertTrue(List.of(longAscii.split("\r\n")).stream().allMatch(l -> l.length() <= 78), longAscii);
    }

    @Test
    void messageIdsComeFromTheActionId() {
        assertEquals("<amoskys.0b5e-11aa@example.org>", MailMessage.messageId("0b5e-11aa", "example.org"));
        String hashed = MailMessage.messageId("odd id <with> spaces", "example.org");
        assertTrue(hashed.matches("<amoskys\\.[0-9a-f]{64}@example\\.org>"), hashed);
        assertEquals(hashed, MailMessage.messageId("odd id <with> spaces", "example.org"));
    }

    @Test
    void checksAddresses() {
        assertNull(MailAddress.problem("soc.team+alerts@mail.example.org"));
        assertNull(MailAddress.problem("root@[10.0.0.1]"));
        for (String bad : List.of("no-at", "@example.org", "a@", "a b@example.org", "a..b@example.org", "a@exa_mple.org",
                "a@-example.org", "a@example..org", "\"q\"@example.org", "müller@example.org", "a@example.org>\r\nX:")) {
            assertTrue(MailAddress.problem(bad) != null, bad);
        }
    }

    @Test
    void namesEachConfigurationProblem() {
        assertProblem(Map.of("host", ""), "host is missing");
        assertProblem(Map.of("host", "smtp example"), "host 'smtp example' is no host name");
        assertProblem(Map.of("from", ""), "from is missing");
        assertProblem(Map.of("from", "amoskys"), "from address 'amoskys' is not local@domain");
        assertProblem(Map.of("to", new String[] {}), "to is missing");
        assertProblem(Map.of("to", new String[] {"soc@example.org, bad@@x"}), "to address 'bad@@x'");
        assertProblem(Map.of("security", "ssl"), "security 'ssl' is none of starttls, tls, none");
        assertProblem(Map.of("port", 70000), "port must be 1 to 65535");
        assertProblem(Map.of("security", "none", "username", "u", ".password", "p"), "AUTH without TLS");
        assertProblem(Map.of("username", "u", "passwordFile", "/nonexistent/password"), "passwordFile /nonexistent/password cannot be read");
        assertProblem(Map.of("username", "u"), "username is set but no password");
        assertProblem(Map.of(".password", "p"), "a password is set but no username");
        assertProblem(Map.of("username", "u", ".password", "p", "passwordFile", "/etc/hostname"), "both passwordFile and .password");
        assertProblem(Map.of("trustStore", "/nonexistent/trust.p12"), "trustStore /nonexistent/trust.p12 cannot be read");
        assertProblem(Map.of("subject", "{{alert.nope}}"), "subject: unknown placeholder {{alert.nope}}");
        assertProblem(Map.of("body", "{{alert.id"), "body: unbalanced braces");
        assertProblem(Map.of("bodyEncoding", "8bit"), "bodyEncoding '8bit' is neither quoted-printable nor base64");
        assertProblem(Map.of("heloName", "bad name"), "heloName 'bad name'");
        assertProblem(Map.of("readTimeoutSeconds", 0), "readTimeoutSeconds must be positive");
        assertProblem(Map.of("amoskys.plugin.name", " "), "amoskys.plugin.name is empty");
    }

    private static void assertProblem(Map<String, Object> config, String expected) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.putIfAbsent("host", "smtp.example.org");
        properties.putIfAbsent("from", "amoskys@example.org");
        properties.putIfAbsent("to", new String[] {"soc@example.org"});
        EmailResponder email = new EmailResponder(Configs.email(properties));
        List<String> problems = email.configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> email.plan(Alerts.alert("t")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void refusesBodiesOver64KiB() {
        EmailResponder email = new EmailResponder(Configs.email(Map.of("host", "smtp.example.org",
                "from", "amoskys@example.org", "to", new String[] {"soc@example.org"})));
        assertEquals(List.of(), email.configurationProblems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> email.plan(Alerts.alert("x".repeat(70_000))));
        assertTrue(e.getMessage().contains("more than the 65536"), e.getMessage());
    }
}
