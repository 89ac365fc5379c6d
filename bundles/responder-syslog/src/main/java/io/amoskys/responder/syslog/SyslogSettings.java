package io.amoskys.responder.syslog;

import io.amoskys.response.support.TrustFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * One syslog destination's configuration, checked. Invalid values are reported by
 * {@link #problems()} rather than thrown, so the platform can say why it refuses to arm.
 */
final class SyslogSettings {
    /** What the message says: RFC 5424 structured data, or CEF in the message part. */
    enum Format { RFC5424, CEF }

    /** RFC 5424 SD-NAME: printable US-ASCII except = SP ] ". */
    private static final Pattern SD_ID = Pattern.compile("[!#-<>-\\\\^-~]{1,32}");
    private static final long MAX_PASSWORD_BYTES = 4096;

    final String name;
    final String host;
    final int port;
    final Transport transport;
    final Format format;
    final int facility;
    final String appName;
    final String hostname;
    final String sdId;
    /** {@code null} unless the transport is TLS and the trust is usable. */
    final SSLContext tls;
    final int connectTimeoutMillis;
    final int ioTimeoutMillis;
    private final List<String> problems = new ArrayList<>();

    SyslogSettings(SyslogConfig c) {
        name = text(c.amoskys_plugin_name());
        if (name.isEmpty()) {
            problems.add("amoskys.plugin.name is empty: the destination needs a name for routes to reach it");
        }
        host = HostNames.bare(c.host());
        String hostProblem = HostNames.problem(host);
        if (hostProblem != null) {
            problems.add(hostProblem);
        }
        transport = Transport.named(text(c.transport()).toLowerCase(Locale.ROOT));
        if (transport == null) {
            problems.add("transport '" + text(c.transport()) + "' is none of udp, tcp, tls");
        }
        port = c.port() == 0 && transport != null ? transport.defaultPort : c.port();
        if (port < 1 || port > 65535) {
            problems.add("port must be from 1 to 65535 (0: the transport's default), was " + c.port());
        }
        format = format(text(c.format()));
        facility = Facility.code(c.facility());
        if (facility < 0) {
            problems.add("facility '" + text(c.facility()) + "' is neither a name (" + String.join(", ", Facility.NAMES)
                    + ") nor a number from 0 to 23");
        }
        appName = headerField("appName", text(c.appName()), 48);
        String configuredHostname = text(c.hostname());
        hostname = configuredHostname.isEmpty() ? localHostname() : headerField("hostname", configuredHostname, 255);
        sdId = text(c.sdId());
        // Names without @ are IANA's (origin, meta, timeQuality): a private element needs a number.
        if (!SD_ID.matcher(sdId).matches() || !sdId.matches("[^@]+@[0-9]+(\\.[0-9]+)*")) {
            problems.add("sdId '" + sdId + "' is no private SD-ID: NAME@ENTERPRISE-NUMBER, at most 32 printable "
                    + "ASCII characters without = ] \" or space");
        }
        tls = tls(c);
        connectTimeoutMillis = positiveSeconds("connectTimeoutSeconds", c.connectTimeoutSeconds()) * 1000;
        ioTimeoutMillis = positiveSeconds("ioTimeoutSeconds", c.ioTimeoutSeconds()) * 1000;
    }

    private Format format(String configured) {
        switch (configured.toLowerCase(Locale.ROOT)) {
            case "rfc5424": return Format.RFC5424;
            case "cef": return Format.CEF;
            default:
                problems.add("format '" + configured + "' is neither rfc5424 nor cef");
                return Format.RFC5424;
        }
    }

    /** RFC 5424 header fields are 1 to max printable US-ASCII characters. */
    private String headerField(String key, String value, int max) {
        if (value.isEmpty() || value.length() > max || !value.chars().allMatch(ch -> ch >= 33 && ch <= 126)) {
            problems.add(key + " '" + value + "' must be 1 to " + max + " printable ASCII characters without spaces");
            return "-";
        }
        return value;
    }

    /** This machine's name as RFC 5424 wants it, or "-" (the NILVALUE) when it has none usable. */
    private static String localHostname() {
        try {
            String local = InetAddress.getLocalHost().getHostName();
            return local.isEmpty() || local.length() > 255 || !local.chars().allMatch(ch -> ch >= 33 && ch <= 126)
                    ? "-" : local;
        } catch (IOException e) {
            return "-";
        }
    }

    private SSLContext tls(SyslogConfig c) {
        String file = text(c.trustFile());
        boolean hasPasswordFile = !text(c.trustPasswordFile()).isEmpty();
        boolean hasPassword = c._trustPassword() != null && !c._trustPassword().isEmpty();
        if (transport != Transport.TLS) {
            if (!file.isEmpty() || hasPasswordFile || hasPassword) {
                problems.add("trustFile and its password are for transport tls, the transport is " + text(c.transport()));
            }
            return null;
        }
        if (hasPasswordFile && hasPassword) {
            problems.add("both trustPasswordFile and .trustPassword are set: keep one");
            return null;
        }
        char[] password = hasPassword ? c._trustPassword().toCharArray() : null;
        if (hasPasswordFile) {
            password = password(Path.of(text(c.trustPasswordFile())));
            if (password == null) {
                return null;
            }
        }
        if (file.isEmpty()) {
            if (password != null) {
                problems.add("a trust store password is set but no trustFile");
            }
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                problems.add("this Java runtime has no default TLS context: " + e.getMessage());
                return null;
            }
        }
        Path path = Path.of(file);
        if (password != null && !TrustFiles.isStore(path)) {
            problems.add("a trust store password is set but trustFile " + path + " is no .p12, .pfx or .jks store");
        }
        try {
            return TrustFiles.context(path, password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problems.add("trustFile " + path + " cannot be read as certificates or a trust store: " + e.getMessage());
            return null;
        }
    }

    private char[] password(Path file) {
        try {
            if (Files.size(file) > MAX_PASSWORD_BYTES) {
                problems.add("trustPasswordFile " + file + " is larger than " + MAX_PASSWORD_BYTES + " bytes: not a password");
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException | RuntimeException e) {
            problems.add("trustPasswordFile " + file + " cannot be read: " + e);
            return null;
        }
    }

    private int positiveSeconds(String key, int seconds) {
        if (seconds <= 0 || seconds > 3600) {
            problems.add(key + " must be from 1 to 3600, was " + seconds);
            return 1;
        }
        return seconds;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    /** Where messages go, as receipts show it: {@code tcp://host:514}. */
    String recipient() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (transport == null ? "?" : transport.text()) + "://" + shownHost + ":" + port;
    }

    List<String> problems() {
        return problems;
    }
}
