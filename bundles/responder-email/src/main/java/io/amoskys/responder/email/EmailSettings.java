package io.amoskys.responder.email;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * One mail route's configuration, checked. Invalid values are reported by {@link #problems()}
 * rather than thrown, so the platform can say why it refuses to arm.
 */
final class EmailSettings {
    enum Security {
        STARTTLS(587), TLS(465), NONE(25);

        final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[0-9.]+");
    private static final long MAX_PASSWORD_BYTES = 4096;

    final String name;
    final String host;
    final int port;
    final Security security;
    /** {@code null} without TLS, or when the trust store is unusable. */
    final SSLSocketFactory tls;
    /** Empty: chosen per connection. */
    final String heloName;
    final String from;
    final String fromName;
    final List<String> to;
    final MailTemplate subject;
    final MailTemplate body;
    final MailMessage.BodyEncoding bodyEncoding;
    /** {@code null}: no AUTH. */
    final String username;
    final String password;
    final Duration connectTimeout;
    final Duration readTimeout;
    private final List<String> problems = new ArrayList<>();

    EmailSettings(EmailConfig c) {
        name = text(c.amoskys_plugin_name());
        if (name.isEmpty()) {
            problems.add("amoskys.plugin.name is empty: the responder needs a name for routes to reach it");
        }
        host = host(text(c.host()));
        security = security(text(c.security()));
        port = c.port() == 0 ? security.defaultPort : c.port();
        if (port < 1 || port > 65535) {
            problems.add("port must be 1 to 65535 (or 0 for the default of the security), was " + port);
        }
        tls = security == Security.NONE ? null : tls(text(c.trustStore()), c._trustStorePassword());
        heloName = heloName(text(c.heloName()));
        from = address("from", text(c.from()));
        fromName = text(c.fromName());
        if (fromName.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            problems.add("fromName has control characters");
        }
        to = recipients(c.to());
        subject = template("subject", c.subject());
        body = template("body", c.body());
        bodyEncoding = bodyEncoding(text(c.bodyEncoding()));
        username = text(c.username()).isEmpty() ? null : text(c.username());
        password = password(c.passwordFile(), c._password());
        if (username != null && username.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            problems.add("username has control characters");
        }
        if (username != null && security == Security.NONE && !c.allowAuthWithoutTls()) {
            problems.add("AUTH without TLS (security none) would send the password in clear text: use starttls or "
                    + "tls, or set allowAuthWithoutTls=true on a network you trust");
        }
        connectTimeout = positiveSeconds("connectTimeoutSeconds", c.connectTimeoutSeconds());
        readTimeout = positiveSeconds("readTimeoutSeconds", c.readTimeoutSeconds());
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private String host(String value) {
        String h = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (h.isEmpty()) {
            problems.add("host is missing");
        } else if (!IP_LITERAL.matcher(h).matches() && MailAddress.domainProblem(h) != null) {
            problems.add("host '" + h + "' is no host name or IP address");
        }
        return h;
    }

    private Security security(String value) {
        try {
            return Security.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("security '" + value + "' is none of starttls, tls, none");
            return Security.STARTTLS;
        }
    }

    private SSLSocketFactory tls(String trustStore, String trustStorePassword) {
        try {
            char[] secret = trustStorePassword == null || trustStorePassword.isEmpty() ? null : trustStorePassword.toCharArray();
            return TrustedTls.factory(trustStore.isEmpty() ? null : Path.of(trustStore), secret);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private String heloName(String value) {
        if (!value.isEmpty() && !(value.startsWith("[") && value.endsWith("]")) && MailAddress.domainProblem(value) != null) {
            problems.add("heloName '" + value + "' is no domain name or [address] literal");
        }
        return value;
    }

    private String address(String key, String value) {
        if (value.isEmpty()) {
            problems.add(key + " is missing");
            return value;
        }
        String problem = MailAddress.problem(value);
        if (problem != null) {
            problems.add(key + " address '" + printable(value) + "' " + problem);
        }
        return value;
    }

    private List<String> recipients(String[] configured) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : configured == null ? new String[0] : configured) {
            // One value may list several, as "a@x, b@y" in a .cfg file is one string.
            for (String one : entry.split(",")) {
                if (!one.isBlank()) {
                    out.add(address("to", one.strip()));
                }
            }
        }
        if (out.isEmpty()) {
            problems.add("to is missing: no recipient");
        }
        return List.copyOf(out);
    }

    private MailTemplate template(String key, String value) {
        MailTemplate t = new MailTemplate(key, value == null ? "" : value);
        problems.addAll(t.problems());
        return t;
    }

    private MailMessage.BodyEncoding bodyEncoding(String value) {
        for (MailMessage.BodyEncoding e : MailMessage.BodyEncoding.values()) {
            if (e.header.equalsIgnoreCase(value)) {
                return e;
            }
        }
        problems.add("bodyEncoding '" + value + "' is neither quoted-printable nor base64");
        return MailMessage.BodyEncoding.QUOTED_PRINTABLE;
    }

    private String password(String file, String inline) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasFile && hasInline) {
            problems.add("both passwordFile and .password are set: keep one");
            return null;
        }
        if (!hasFile && !hasInline) {
            if (username != null) {
                problems.add("username is set but no password (passwordFile or .password)");
            }
            return null;
        }
        if (username == null) {
            problems.add("a password is set but no username");
        }
        if (hasInline) {
            return inline.strip();
        }
        Path path = Path.of(file.strip());
        try {
            if (Files.size(path) > MAX_PASSWORD_BYTES) {
                problems.add("passwordFile " + path + " is larger than " + MAX_PASSWORD_BYTES + " bytes: not a password");
                return null;
            }
            String text = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                problems.add("passwordFile " + path + " is empty");
                return null;
            }
            return text;
        } catch (IOException | RuntimeException e) {
            problems.add("passwordFile " + path + " cannot be read: " + e);
            return null;
        }
    }

    private Duration positiveSeconds(String key, int seconds) {
        if (seconds <= 0) {
            problems.add(key + " must be positive, was " + seconds);
            return Duration.ofSeconds(1);
        }
        return Duration.ofSeconds(seconds);
    }

    private static String printable(String value) {
        return value.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }

    /** Where mail goes, as receipts show it. */
    String server() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + " (" + security.name().toLowerCase(Locale.ROOT) + ")";
    }

    List<String> problems() {
        return problems;
    }
}
