package io.amoskys.responder.mqtt;

import io.amoskys.response.support.TrustFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * One MQTT destination's configuration, checked. Invalid values are reported by
 * {@link #problems()} rather than thrown, so the platform can say why it refuses to arm.
 */
final class MqttSettings {
    private static final long MAX_SECRET_BYTES = 4096;
    /** MQTT 3.1.1 lets brokers refuse longer client ids, and mosquitto takes anything up to 65535 bytes. */
    private static final int MAX_CLIENT_ID = 128;

    final String name;
    /** {@code null} when invalid. */
    final String brokerUrl;
    final boolean tls;
    final TopicTemplate topic;
    final int qos;
    final boolean retained;
    final String clientId;
    final String username;
    /** {@code null}: no password. */
    final char[] password;
    /** {@code null}: plain TCP, or the JVM's default trust for ssl://. */
    final SSLSocketFactory trust;
    final int connectTimeoutSeconds;
    final int publishTimeoutSeconds;
    final int keepAliveSeconds;
    private final List<String> problems = new ArrayList<>();

    MqttSettings(MqttConfig c) {
        name = text(c.amoskys_plugin_name());
        if (name.isEmpty()) {
            problems.add("amoskys.plugin.name is empty: the destination needs a name for routes to reach it");
        }
        brokerUrl = brokerUrl(text(c.brokerUrl()));
        tls = brokerUrl != null && brokerUrl.startsWith("ssl:");
        topic = new TopicTemplate(c.topic() == null ? "" : c.topic().strip());
        problems.addAll(topic.problems());
        qos = c.qos();
        if (qos < 0 || qos > 2) {
            problems.add("qos must be 0, 1 or 2, was " + qos);
        }
        retained = c.retained();
        String configuredId = text(c.clientId());
        clientId = configuredId.isEmpty() ? "amoskys-responder-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") : configuredId;
        if (clientId.length() > MAX_CLIENT_ID) {
            problems.add("clientId is longer than " + MAX_CLIENT_ID + " characters");
        }
        username = text(c.username());
        password = password(c);
        if (password != null && brokerUrl != null && !tls && !c.allowPasswordWithoutTls()) {
            problems.add("a password to a tcp:// broker would cross the network in clear text: use ssl://, or set "
                    + "allowPasswordWithoutTls=true on a network you trust");
        }
        trust = trust(c);
        connectTimeoutSeconds = seconds("connectTimeoutSeconds", c.connectTimeoutSeconds());
        publishTimeoutSeconds = seconds("publishTimeoutSeconds", c.publishTimeoutSeconds());
        keepAliveSeconds = seconds("keepAliveSeconds", c.keepAliveSeconds());
    }

    /** {@code text} with whatever stands between {@code //} and an {@code @} in its authority shown as {@code ***}. */
    static String withoutUserInfo(String text) {
        int start = text.indexOf("//");
        if (start < 0) {
            return text.indexOf('@') < 0 ? text : "***";
        }
        int end = text.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = text.indexOf(c, start + 2);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        int at = text.lastIndexOf('@', end - 1);
        if (at < start + 2) {
            // No authority to cut it from: nothing of the text is shown past its scheme.
            return text.indexOf('@') < 0 ? text : text.substring(0, start + 2) + "***";
        }
        return text.substring(0, start + 2) + "***" + text.substring(at);
    }

    private String brokerUrl(String text) {
        if (text.isEmpty()) {
            problems.add("brokerUrl is missing");
            return null;
        }
        // Problems reach the log, viewers' lists and signed receipts: a password in the URL must not.
        // Any '@' may be one (a password holding '/' or '#' hides the authority from a parser), so
        // such a URL is refused without being quoted.
        if (text.indexOf('@') >= 0) {
            problems.add("brokerUrl '" + withoutUserInfo(text) + "' carries credentials (an '@'): use username and "
                    + "passwordFile instead");
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
                problems.add("brokerUrl '" + text + "' is neither tcp://HOST:PORT nor ssl://HOST:PORT");
            } else if (uri.getHost() == null) {
                problems.add("brokerUrl '" + text + "' names no host");
            } else if (uri.getPort() > 65535 || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add("brokerUrl '" + text + "' must be only SCHEME://HOST:PORT");
            } else {
                int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("ssl") ? 8883 : 1883;
                return scheme + "://" + uri.getHost() + ":" + port;
            }
        } catch (URISyntaxException e) {
            problems.add("brokerUrl is malformed: " + e.getReason() + " at index " + e.getIndex());
        }
        return null;
    }

    private char[] password(MqttConfig c) {
        String file = text(c.passwordFile());
        boolean inline = c._password() != null && !c._password().isEmpty();
        if (!file.isEmpty() && inline) {
            problems.add("both passwordFile and .password are set: keep one");
            return null;
        }
        char[] secret = inline ? c._password().strip().toCharArray() : file.isEmpty() ? null : secretFile("passwordFile", file);
        if (secret != null && username.isEmpty()) {
            problems.add("a password is set without a username");
        }
        return secret;
    }

    private SSLSocketFactory trust(MqttConfig c) {
        String file = text(c.trustFile());
        String passwordFile = text(c.trustPasswordFile());
        if (!tls) {
            if (!file.isEmpty() || !passwordFile.isEmpty()) {
                problems.add("trustFile and trustPasswordFile are for ssl:// brokers");
            }
            return null;
        }
        char[] storePassword = passwordFile.isEmpty() ? null : secretFile("trustPasswordFile", passwordFile);
        if (file.isEmpty()) {
            if (storePassword != null) {
                problems.add("trustPasswordFile is set but no trustFile");
            }
            return null; // Paho then uses the JVM's default trust
        }
        Path path = Path.of(file);
        try {
            return TrustFiles.context(path, storePassword).getSocketFactory();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problems.add("trustFile " + path + " cannot be read as certificates or a trust store: " + e.getMessage());
            return null;
        }
    }

    private char[] secretFile(String key, String file) {
        Path path = Path.of(file);
        try {
            if (Files.size(path) > MAX_SECRET_BYTES) {
                problems.add(key + " " + path + " is larger than " + MAX_SECRET_BYTES + " bytes: not a password");
                return null;
            }
            return Files.readString(path, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException | RuntimeException e) {
            problems.add(key + " " + path + " cannot be read: " + e);
            return null;
        }
    }

    private int seconds(String key, int seconds) {
        if (seconds <= 0 || seconds > 3600) {
            problems.add(key + " must be from 1 to 3600, was " + seconds);
            return 1;
        }
        return seconds;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    MqttConnectOptions connectOptions() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true); // each action is retried by the platform, not by a broker session
        o.setAutomaticReconnect(false); // the next publish reconnects
        o.setConnectionTimeout(connectTimeoutSeconds);
        o.setKeepAliveInterval(keepAliveSeconds);
        if (!username.isEmpty()) {
            o.setUserName(username);
            if (password != null) {
                o.setPassword(password.clone());
            }
        }
        if (tls) {
            if (trust != null) {
                o.setSocketFactory(trust);
            }
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    /** The broker, as receipts show it. */
    String recipient() {
        return brokerUrl == null ? "(no valid brokerUrl)" : brokerUrl;
    }

    List<String> problems() {
        return problems;
    }
}
