package io.amoskys.responder.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One webhook's configuration, checked. Invalid values are reported by {@link #problems()}
 * rather than thrown, so the platform can say why it refuses to arm.
 */
final class WebhookSettings {
    /** Headers the HTTP client sets itself, or this responder does. */
    private static final Set<String> RESERVED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "content-type", "x-amoskys-action-id", "x-amoskys-timestamp", "x-amoskys-signature");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final long MAX_SECRET_BYTES = 4096;

    final String name;
    final URI url;
    /** The URL without credentials, query or fragment: what receipts may show. */
    final String recipient;
    /** {@code null}: requests go unsigned. */
    final byte[] secret;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final List<String[]> headers = new ArrayList<>();
    final String contentType;
    /** {@code null}: the alert as JSON. */
    final BodyTemplate template;
    private final List<String> problems = new ArrayList<>();

    WebhookSettings(WebhookConfig c) {
        name = c.amoskys_plugin_name() == null ? "" : c.amoskys_plugin_name().strip();
        if (name.isEmpty()) {
            problems.add("amoskys.plugin.name is empty: the webhook needs a name for routes to reach it");
        }
        url = url(c.url());
        recipient = url == null ? "(no valid url)" : recipient(url);
        secret = secret(c.secretFile(), c._secret());
        connectTimeout = positiveSeconds("connectTimeoutSeconds", c.connectTimeoutSeconds());
        requestTimeout = positiveSeconds("requestTimeoutSeconds", c.requestTimeoutSeconds());
        String[] lines = c._headers() == null ? new String[0] : c._headers();
        for (int i = 0; i < lines.length; i++) {
            header(lines[i], i + 1);
        }
        contentType = c.contentType() == null || c.contentType().isBlank() ? "application/json" : c.contentType().strip();
        if (contentType.indexOf('\r') >= 0 || contentType.indexOf('\n') >= 0) {
            problems.add("contentType must be one line");
        }
        String body = c.template() == null ? "" : c.template();
        template = body.isBlank() ? null : new BodyTemplate(body);
        if (template != null) {
            problems.addAll(template.problems());
        }
    }

    private URI url(String configured) {
        String text = configured == null ? "" : configured.strip();
        if (text.isEmpty()) {
            problems.add("url is missing");
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.add("url '" + recipient(uri) + "' is neither http nor https");
            } else if (uri.getHost() == null) {
                problems.add("url '" + recipient(uri) + "' names no host");
            } else if (uri.getRawUserInfo() != null) {
                problems.add("url '" + recipient(uri) + "' carries credentials: put them in a header "
                        + "(.headers = Authorization: ...) instead");
            } else {
                return uri;
            }
        } catch (URISyntaxException e) {
            problems.add("url is malformed: " + e.getReason() + " at index " + e.getIndex());
        }
        return null;
    }

    /**
     * The URL as receipts and logs show it: scheme, host and port only. Chat services put their
     * token in the path, and receipts can never be redacted.
     */
    static String recipient(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme() + "://";
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/") ? "" : "/…";
        return scheme + (uri.getHost() == null ? "" : uri.getHost()) + port + path;
    }

    private byte[] secret(String file, String inline) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasFile && hasInline) {
            problems.add("both secretFile and .secret are set: keep one");
            return null;
        }
        if (hasInline) {
            return inline.strip().getBytes(StandardCharsets.UTF_8);
        }
        if (!hasFile) {
            return null;
        }
        Path path = Path.of(file.strip());
        try {
            if (Files.size(path) > MAX_SECRET_BYTES) {
                problems.add("secretFile " + path + " is larger than " + MAX_SECRET_BYTES + " bytes: not a secret");
                return null;
            }
            String text = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                problems.add("secretFile " + path + " is empty");
                return null;
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            problems.add("secretFile " + path + " cannot be read: " + e);
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

    private void header(String line, int number) {
        int colon = line.indexOf(':');
        String headerName = colon < 0 ? "" : line.substring(0, colon).strip();
        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
        if (!TOKEN.matcher(headerName).matches()) {
            // The line is not shown: it may hold a credential.
            problems.add("header " + number + " of .headers is not 'Name: value'");
        } else if (RESERVED.contains(headerName.toLowerCase(Locale.ROOT))) {
            problems.add("header " + headerName + " is set by the responder itself (use contentType for Content-Type)");
        } else if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
            problems.add("header " + headerName + " has control characters in its value");
        } else {
            headers.add(new String[] {headerName, value});
        }
    }

    List<String> problems() {
        return problems;
    }

    BodyTemplate.Escaping escaping() {
        return BodyTemplate.Escaping.forContentType(contentType);
    }
}
