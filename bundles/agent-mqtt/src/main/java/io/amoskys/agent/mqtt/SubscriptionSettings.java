package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.PayloadFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * One broker subscription, checked: every rule is enforced when it is built, so a bad
 * configuration fails at once with a message naming the setting rather than at the first
 * connection attempt.
 */
public final class SubscriptionSettings {
    private final String name;
    private final String brokerUrl;
    private final String clientId;
    private final String username;
    private final String password;
    private final Path trustFile;
    private final String trustPassword;
    private final boolean verifyHostname;
    private final List<String> topics;
    private final int qos;
    private final int maxPayloadBytes;
    private final PayloadFormat format;
    private final boolean cleanSession;
    private final int keepAliveSeconds;
    private final int connectTimeoutSeconds;
    private final long maxReconnectDelayMillis;
    private final int maxSensors;

    private SubscriptionSettings(Builder b) {
        this.name = b.name;
        this.brokerUrl = b.brokerUrl;
        this.clientId = b.clientId.isEmpty() ? "amoskys-" + b.name : b.clientId;
        this.username = b.username;
        this.password = b.password;
        this.trustFile = b.trustFile;
        this.trustPassword = b.trustPassword;
        this.verifyHostname = b.verifyHostname;
        this.topics = List.copyOf(b.topics);
        this.qos = b.qos;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.format = b.format;
        this.cleanSession = b.cleanSession;
        this.keepAliveSeconds = b.keepAliveSeconds;
        this.connectTimeoutSeconds = b.connectTimeoutSeconds;
        this.maxReconnectDelayMillis = b.maxReconnectDelayMillis;
        this.maxSensors = b.maxSensors;
    }

    public static Builder builder(String name, String brokerUrl) {
        return new Builder(name, brokerUrl);
    }

    public String name() { return name; }
    public String brokerUrl() { return brokerUrl; }
    public String clientId() { return clientId; }
    public String username() { return username; }
    public String password() { return password; }
    /** The CA certificates (PEM) or trust store (.p12, .jks) for ssl://; null for the JVM's own. */
    public Path trustFile() { return trustFile; }
    public String trustPassword() { return trustPassword; }
    public boolean verifyHostname() { return verifyHostname; }
    public List<String> topics() { return topics; }
    public int qos() { return qos; }
    public int maxPayloadBytes() { return maxPayloadBytes; }
    public PayloadFormat format() { return format; }
    public boolean cleanSession() { return cleanSession; }
    public int keepAliveSeconds() { return keepAliveSeconds; }
    public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    public long maxReconnectDelayMillis() { return maxReconnectDelayMillis; }
    public int maxSensors() { return maxSensors; }

    public boolean tls() {
        return brokerUrl.startsWith("ssl://");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "mqtt subscription " + name + " " + brokerUrl + " " + topics + " qos " + qos + " as " + clientId
                + (username.isEmpty() ? "" : " user " + username);
    }

    /** Settings with the documented defaults; {@link #build()} checks them. */
    public static final class Builder {
        private final String name;
        private final String brokerUrl;
        private String clientId = "";
        private String username = "";
        private String password = "";
        private Path trustFile;
        private String trustPassword = "";
        private boolean verifyHostname = true;
        private final List<String> topics = new ArrayList<>();
        private int qos = 1;
        private int maxPayloadBytes = 64 * 1024;
        private PayloadFormat format = PayloadFormat.AUTO;
        private boolean cleanSession;
        private int keepAliveSeconds = 30;
        private int connectTimeoutSeconds = 10;
        private long maxReconnectDelayMillis = 30_000;
        private int maxSensors = 10_000;

        private Builder(String name, String brokerUrl) {
            this.name = name == null ? "" : name.strip();
            this.brokerUrl = brokerUrl == null ? "" : brokerUrl.strip();
        }

        public Builder clientId(String v) { clientId = v == null ? "" : v.strip(); return this; }
        public Builder username(String v) { username = v == null ? "" : v; return this; }
        public Builder password(String v) { password = v == null ? "" : v; return this; }
        public Builder trustFile(Path v) { trustFile = v; return this; }
        public Builder trustPassword(String v) { trustPassword = v == null ? "" : v; return this; }
        public Builder verifyHostname(boolean v) { verifyHostname = v; return this; }
        public Builder qos(int v) { qos = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder format(PayloadFormat v) { format = v; return this; }
        public Builder cleanSession(boolean v) { cleanSession = v; return this; }
        public Builder keepAliveSeconds(int v) { keepAliveSeconds = v; return this; }
        public Builder connectTimeoutSeconds(int v) { connectTimeoutSeconds = v; return this; }
        public Builder maxReconnectDelayMillis(long v) { maxReconnectDelayMillis = v; return this; }
        public Builder maxSensors(int v) { maxSensors = v; return this; }

        /** Topic filters; each entry may itself be a comma list ("a/#, b/+/t"). */
        public Builder topics(String... filters) {
            for (String entry : filters) {
                for (String filter : entry.split(",")) {
                    if (!filter.isBlank()) {
                        topics.add(filter.strip());
                    }
                }
            }
            return this;
        }

        public SubscriptionSettings build() {
            String where = "mqtt subscription '" + name + "': ";
            require(!name.isEmpty() && name.matches("[A-Za-z0-9._-]+"), where + "name must be letters, digits, '.', '_' or '-'");
            require(brokerUrl.startsWith("tcp://") || brokerUrl.startsWith("ssl://"),
                    where + "brokerUrl must start with tcp:// or ssl://, was '" + brokerUrl + "'");
            require(!topics.isEmpty(), where + "topics needs at least one topic filter");
            for (String filter : topics) {
                try {
                    MqttTopic.validate(filter, true);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + "topic filter '" + filter + "' is not valid: " + e.getMessage(), e);
                }
            }
            require(qos >= 0 && qos <= 2, where + "qos must be 0, 1 or 2, was " + qos);
            require(maxPayloadBytes > 0, where + "maxPayloadBytes must be positive, was " + maxPayloadBytes);
            require(keepAliveSeconds >= 0, where + "keepAliveSeconds must not be negative");
            require(connectTimeoutSeconds > 0, where + "connectTimeoutSeconds must be positive");
            // The first retry waits 250 ms (BrokerSession): the longest wait cannot be shorter.
            require(maxReconnectDelayMillis >= 250, where + "maxReconnectDelayMillis must be at least 250");
            require(maxSensors > 0, where + "maxSensors must be positive");
            require(password.isEmpty() || !username.isEmpty(), where + "a password needs a username");
            if (trustFile != null) {
                require(brokerUrl.startsWith("ssl://"), where + "trustFile is only used with ssl:// broker URLs");
                require(Files.isReadable(trustFile), where + "trustFile " + trustFile + " cannot be read");
            }
            return new SubscriptionSettings(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
