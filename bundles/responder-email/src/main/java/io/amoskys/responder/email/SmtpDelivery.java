package io.amoskys.responder.email;

import io.amoskys.api.response.ActionOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One SMTP conversation that hands one message to the server (RFC 5321): greeting, EHLO, STARTTLS
 * when configured (never falling back to clear text), AUTH PLAIN or LOGIN, MAIL, RCPT, DATA, QUIT.
 */
final class SmtpDelivery {
    private final EmailSettings settings;

    SmtpDelivery(EmailSettings settings) {
        this.settings = settings;
    }

    /** The server's EHLO answer: its extension keywords, upper case, with their parameters. */
    private record Extensions(List<String> lines) {
        boolean has(String keyword) {
            return lines.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).split(" ")[0].equals(keyword));
        }

        Set<String> authMechanisms() {
            Set<String> out = new TreeSet<>();
            for (String l : lines) {
                String[] words = l.toUpperCase(Locale.ROOT).split(" ");
                if (words[0].equals("AUTH") || words[0].equals("AUTH=")) {
                    out.addAll(List.of(words).subList(1, words.length));
                }
            }
            return out;
        }
    }

    ActionOutcome deliver(List<String> recipients, String message) {
        String what = "SMTP " + settings.server() + ": ";
        SmtpConnection connection = null;
        try {
            connection = SmtpConnection.open(settings.host, settings.port, settings.connectTimeout, settings.readTimeout,
                    settings.security == EmailSettings.Security.TLS ? settings.tls : null);
            String result = converse(connection, recipients, message);
            return ActionOutcome.succeeded(what + result + "\n" + connection.transcript());
        } catch (SmtpStop stop) {
            return stop.outcome(what, "\n" + connection.transcript());
        } catch (IOException e) {
            String transcript = connection == null ? "" : "\n" + connection.transcript();
            return untrusted(e)
                    ? ActionOutcome.failed(what + "the server's certificate is not trusted or does not name "
                            + settings.host + ": " + e.getMessage() + transcript)
                    : ActionOutcome.retry(what + describe(e) + transcript);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private String converse(SmtpConnection c, List<String> recipients, String message) throws IOException, SmtpStop {
        expect("greeting", c.reply(), 220);
        Extensions extensions = ehlo(c);
        if (settings.security == EmailSettings.Security.STARTTLS) {
            if (!extensions.has("STARTTLS")) {
                throw SmtpStop.fail("the server offers no STARTTLS: refusing to send in clear text");
            }
            expect("STARTTLS", c.command("STARTTLS"), 220);
            c.startTls(settings.tls);
            extensions = ehlo(c); // RFC 3207: forget what was said before TLS
        }
        if (settings.username != null) {
            authenticate(c, extensions);
        }
        expect("MAIL FROM", c.command("MAIL FROM:<" + settings.from + ">"), 250);
        List<String> refused = new ArrayList<>();
        for (String to : recipients) {
            SmtpReply reply = c.command("RCPT TO:<" + to + ">");
            if (reply.transientFailure()) {
                // Nothing is sent yet: trying all again later delivers no one twice.
                quit(c, "RSET");
                throw SmtpStop.unexpected("RCPT TO:<" + to + ">", reply);
            }
            if (reply.code() != 250 && reply.code() != 251) {
                refused.add(to + " (" + reply + ")");
            }
        }
        if (refused.size() == recipients.size()) {
            quit(c, "RSET");
            throw SmtpStop.fail("every recipient refused: " + String.join(", ", refused));
        }
        expect("DATA", c.command("DATA"), 354);
        SmtpReply accepted = expect("the message", c.data(message), 250);
        quit(c, null);
        return "accepted for " + (recipients.size() - refused.size()) + " of " + recipients.size() + " recipients: "
                + accepted + (refused.isEmpty() ? "" : "; refused: " + String.join(", ", refused));
    }

    private Extensions ehlo(SmtpConnection c) throws IOException, SmtpStop {
        String name = helloName(c);
        SmtpReply reply = c.command("EHLO " + name);
        if (reply.code() == 250) {
            return new Extensions(reply.lines().subList(1, reply.lines().size()));
        }
        if (reply.code() == 500 || reply.code() == 502) {
            // An old server without extensions: HELO, and no STARTTLS or AUTH (checked by the caller).
            expect("HELO", c.command("HELO " + name), 250);
            return new Extensions(List.of());
        }
        throw SmtpStop.unexpected("EHLO", reply);
    }

    private void authenticate(SmtpConnection c, Extensions extensions) throws IOException, SmtpStop {
        if (!c.tls() && settings.security != EmailSettings.Security.NONE) {
            throw SmtpStop.fail("no TLS: refusing to send the password"); // cannot happen: TLS came first
        }
        Set<String> mechanisms = extensions.authMechanisms();
        String user = settings.username;
        String password = settings.password;
        if (mechanisms.contains("PLAIN")) {
            String token = base64("\0" + user + "\0" + password);
            expect("AUTH PLAIN", c.command("AUTH PLAIN " + token, "AUTH PLAIN (credentials)"), 235);
        } else if (mechanisms.contains("LOGIN")) {
            expect("AUTH LOGIN", c.command("AUTH LOGIN"), 334);
            expect("AUTH LOGIN user name", c.command(base64(user), "(user name)"), 334);
            expect("AUTH LOGIN", c.command(base64(password), "(password)"), 235);
        } else {
            throw SmtpStop.fail("the server offers neither AUTH PLAIN nor AUTH LOGIN (it offers "
                    + (mechanisms.isEmpty() ? "no AUTH" : String.join(" ", mechanisms)) + ")");
        }
    }

    private static SmtpReply expect(String step, SmtpReply reply, int code) throws SmtpStop {
        if (reply.code() != code) {
            throw SmtpStop.unexpected(step, reply);
        }
        return reply;
    }

    /** Ends politely; the server's answer no longer matters. */
    private static void quit(SmtpConnection c, String first) {
        try {
            if (first != null) {
                c.command(first);
            }
            c.command("QUIT");
        } catch (IOException e) {
            // The message's fate is already decided.
        }
    }

    private String helloName(SmtpConnection c) {
        if (!settings.heloName.isEmpty()) {
            return settings.heloName;
        }
        String hostname = hostname();
        if (hostname.contains(".") && MailAddress.domainProblem(hostname) == null) {
            return hostname;
        }
        // RFC 5321 4.1.4: without a fully qualified name, the client's address as a literal.
        InetAddress local = c.localAddress();
        return local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress().replaceAll("%.*", "") + "]"
                : "[" + local.getHostAddress() + "]";
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A certificate that fails the checks: trying again changes nothing until someone acts. */
    private static boolean untrusted(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (e instanceof SSLHandshakeException) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateException) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer in time (" + e.getMessage() + ")";
        }
        return e.toString();
    }
}
