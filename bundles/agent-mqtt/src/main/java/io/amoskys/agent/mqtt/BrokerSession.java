package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.ConnectionState.Phase;
import io.amoskys.agent.mqtt.payload.ErrorReason;
import io.amoskys.agent.mqtt.payload.IotReading;
import io.amoskys.api.admin.DeviceDTO;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker subscription: connects, subscribes to its topic filters, reconnects when the
 * connection drops, and turns every message into readings.
 *
 * <p>Why the Paho client directly rather than camel-paho's consumer (bundles/camel/paho still
 * serves routes that publish or consume MQTT): that consumer (a) connects once when its route
 * starts, so a broker that is down at that moment fails the route for good (Paho's automatic
 * reconnect only covers connections that once succeeded); (b) installs its own MqttCallback, the
 * client's only one, so a lost or regained connection cannot be observed: no connected gauge, no
 * reconnect count, no broker health; (c) holds one topic filter per client, so several filters
 * would mean several persistent sessions under different client ids. Here one client holds every
 * filter of the subscription in one persistent session (cleanSession=false by default): the
 * broker queues QoS 1 messages while the agent is away, and a message is acknowledged only after
 * the agent's subscribers took its readings.
 *
 * <p>The session connects only while someone subscribes to the agent ({@link #demand}): with no
 * one to take the readings, the broker is the right place for messages to wait.
 *
 * <p>Threads: connection changes run on one control thread, so its fields need no locks;
 * messages arrive on Paho's callback thread and are decoded and delivered there one at a time,
 * so the broker's in-flight window is the only buffer.
 */
public final class BrokerSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSession.class);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long QUIESCE_MILLIS = 1000;
    private static final long DISCONNECT_TIMEOUT_MILLIS = 3000;
    /** The granted QoS of a refused topic filter in a SUBACK (MQTT 3.1.1, 3.9.3). */
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    /** Where readings go: false when no subscriber took one or a subscriber failed on it. */
    @FunctionalInterface
    public interface ReadingSink {
        boolean deliver(IotReading reading);
    }

    private final SubscriptionSettings settings;
    private final SessionStats stats = new SessionStats();
    private final MessageIntake intake;
    private final ConnectionState state = new ConnectionState();
    private final ThrottledLog connectLog = new ThrottledLog(LOG, 30_000);
    private final ThrottledLog unsubscribedLog = new ThrottledLog(LOG, 60_000);
    /** The filters this configuration names: a persistent session may hold more. */
    private final TopicFilters subscribedTopics;
    private final ScheduledExecutorService control;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Backoff backoff;

    // Owned by the control thread.
    private boolean wanted;
    private boolean closed;
    private boolean subscribedOnce;
    private boolean lostSinceConnected;
    private ScheduledFuture<?> retry;

    BrokerSession(SubscriptionSettings settings, ReadingSink output)
            throws MqttException, IOException, GeneralSecurityException {
        this.settings = settings;
        this.subscribedTopics = new TopicFilters(settings.topics());
        this.intake = new MessageIntake(settings, output, stats);
        this.backoff = new Backoff(FIRST_RETRY_MILLIS, settings.maxReconnectDelayMillis(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.options = connectOptions(settings);
        // In-flight QoS 1/2 state lives as long as this client; the broker keeps the session itself.
        this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        this.client.setCallback(new Callback());
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amoskys-mqtt-" + settings.name());
            t.setDaemon(true);
            return t;
        });
    }

    private static MqttConnectOptions connectOptions(SubscriptionSettings s) throws IOException, GeneralSecurityException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(s.cleanSession());
        o.setAutomaticReconnect(false); // ours also covers a first connection that fails
        o.setKeepAliveInterval(s.keepAliveSeconds());
        o.setConnectionTimeout(s.connectTimeoutSeconds());
        if (!s.username().isEmpty()) {
            o.setUserName(s.username());
            o.setPassword(s.password().toCharArray());
        }
        if (s.tls()) {
            if (s.trustFile() != null) {
                o.setSocketFactory(TrustFiles.socketFactory(s.trustFile(), s.trustPassword()));
            }
            o.setHttpsHostnameVerificationEnabled(s.verifyHostname());
        }
        return o;
    }

    public SubscriptionSettings settings() {
        return settings;
    }

    /** Connects while {@code wanted}, disconnects (keeping the broker's session) while not. */
    void demand(boolean want) {
        onControl(() -> {
            if (closed) {
                return;
            }
            wanted = want;
            switch (state.snapshot().phase()) {
                case IDLE -> {
                    if (want) {
                        connect();
                    }
                }
                case WAITING_RETRY -> {
                    if (!want) {
                        cancelRetry();
                        state.phase(Phase.IDLE);
                    }
                }
                case SUBSCRIBING, RECEIVING -> {
                    if (!want) {
                        disconnect();
                    }
                }
                default -> {
                    // CONNECTING: connected() or connectFailed() look at 'wanted'.
                }
            }
        });
    }

    private void connect() {
        state.phase(Phase.CONNECTING);
        try {
            client.connect(options, null, listener(
                    token -> {
                        boolean sessionPresent = token.getSessionPresent();
                        onControl(() -> connected(sessionPresent));
                    },
                    e -> onControl(() -> connectFailed(e))));
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void connected(boolean sessionPresent) {
        if (closed) {
            return; // close() disconnects
        }
        backoff.reset();
        if (lostSinceConnected) {
            stats.reconnected();
            lostSinceConnected = false;
        }
        // A broker that kept our session kept its subscriptions and queued messages for us too;
        // one that did not (clean session, restarted without persistence) needs them again.
        boolean subscribe = !sessionPresent || !subscribedOnce;
        state.connected(subscribe ? Phase.SUBSCRIBING : Phase.RECEIVING);
        LOG.info("MQTT subscription {}: connected to {} as {} (broker kept the session: {})", settings.name(),
                settings.brokerUrl(), settings.clientId(), sessionPresent ? "yes" : "no, subscribing");
        if (!wanted) {
            disconnect();
        } else if (subscribe) {
            subscribe();
        }
    }

    private void subscribe() {
        String[] filters = settings.topics().toArray(String[]::new);
        int[] qos = new int[filters.length];
        Arrays.fill(qos, settings.qos());
        try {
            client.subscribe(filters, qos, null, listener(
                    token -> {
                        int[] granted = token.getGrantedQos();
                        onControl(() -> subscribed(filters, granted));
                    },
                    e -> onControl(() -> subscribeFailed(e))));
        } catch (MqttException e) {
            subscribeFailed(e);
        }
    }

    private void subscribed(String[] filters, int[] granted) {
        if (closed || state.snapshot().phase() != Phase.SUBSCRIBING) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            if (granted == null || i >= granted.length || granted[i] == SUBSCRIPTION_REFUSED) {
                refused.add(filters[i]);
            }
        }
        subscribedOnce = true;
        if (refused.isEmpty()) {
            state.phase(Phase.RECEIVING);
        } else {
            refused(refused);
        }
    }

    private void subscribeFailed(Throwable e) {
        if (closed || state.snapshot().phase() != Phase.SUBSCRIBING) {
            return; // the connection went away meanwhile; connectionLost takes it from there
        }
        if (e instanceof MqttException m && m.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
            subscribedOnce = true;
            refused(settings.topics());
            return;
        }
        // Anything else leaves the subscriptions unknown: drop the connection and start over.
        String message = "subscribing to " + settings.topics() + " on " + settings.brokerUrl() + " failed: " + ConnectionErrors.describe(e);
        connectLog.warn("MQTT subscription " + settings.name() + ": " + message);
        stats.error(ErrorReason.SUBSCRIBE_REFUSED);
        try {
            client.disconnectForcibly(0, DISCONNECT_TIMEOUT_MILLIS);
        } catch (MqttException ignored) {
            // the connection is being given up anyway
        }
        lostSinceConnected = true;
        retryLater(message, false);
    }

    private void refused(List<String> filters) {
        String message = "the broker refused the topic filter(s) " + filters + " (bad filter, or not allowed by its ACL)";
        for (int i = 0; i < filters.size(); i++) {
            stats.error(ErrorReason.SUBSCRIBE_REFUSED);
        }
        LOG.warn("MQTT subscription {}: {}", settings.name(), message);
        state.failed(Phase.RECEIVING, message, true);
    }

    private void connectFailed(Throwable e) {
        if (closed) {
            return;
        }
        stats.error(ErrorReason.CONNECT_FAILED);
        String message = "cannot connect to " + settings.brokerUrl() + " as " + settings.clientId() + ": " + ConnectionErrors.describe(e);
        connectLog.warn("MQTT subscription " + settings.name() + ": " + message + "; trying again");
        retryLater(message, ConnectionErrors.refusal(e));
    }

    private void lost(Throwable cause) {
        Phase phase = state.snapshot().phase();
        if (closed || (phase != Phase.SUBSCRIBING && phase != Phase.RECEIVING)) {
            return;
        }
        lostSinceConnected = true;
        if (phase == Phase.SUBSCRIBING) {
            subscribedOnce = false; // not known to have reached the broker
        }
        String message = "connection to " + settings.brokerUrl() + " lost: " + ConnectionErrors.describe(cause);
        LOG.warn("MQTT subscription {}: {}; reconnecting", settings.name(), message);
        retryLater(message, false);
    }

    private void retryLater(String message, boolean refused) {
        if (!wanted) {
            state.failed(Phase.IDLE, message, refused);
            return;
        }
        state.failed(Phase.WAITING_RETRY, message, refused);
        retry = control.schedule(() -> guarded(this::retryNow), backoff.next(), TimeUnit.MILLISECONDS);
    }

    private void retryNow() {
        retry = null;
        if (!closed && wanted && state.snapshot().phase() == Phase.WAITING_RETRY) {
            connect();
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** Leaves the broker without cleaning the session: it queues what comes meanwhile. */
    private void disconnect() {
        try {
            client.disconnect(QUIESCE_MILLIS, null, listener(t -> onControl(this::disconnected),
                    e -> onControl(this::disconnected)));
        } catch (MqttException e) {
            disconnected();
        }
    }

    private void disconnected() {
        if (closed) {
            return;
        }
        state.phase(Phase.IDLE);
        if (wanted) {
            connect(); // demand came back while we were leaving
        }
    }

    /** Disconnects and stops; waits for it. Closing twice is harmless. */
    @Override
    public void close() {
        Future<?> done;
        try {
            done = control.submit(this::shutDown);
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        try {
            done.get(DISCONNECT_TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
            // Only now: tasks queued before shutDown ran may still have scheduled a retry.
            control.shutdownNow();
            control.awaitTermination(DISCONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            control.shutdownNow();
            LOG.warn("MQTT subscription {}: closing did not finish cleanly: {}", settings.name(), e.toString());
        }
    }

    private void shutDown() {
        closed = true;
        cancelRetry();
        try {
            if (client.isConnected()) {
                client.disconnect(QUIESCE_MILLIS).waitForCompletion(DISCONNECT_TIMEOUT_MILLIS);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT subscription {}: disconnect failed: {}", settings.name(), e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT subscription {}: close failed: {}", settings.name(), e.toString());
        }
        state.phase(Phase.CLOSED);
        LOG.info("MQTT subscription {} closed", settings.name());
    }

    // ---- for health, metrics and tests

    SessionStats stats() {
        return stats;
    }

    ConnectionState.Snapshot connection() {
        return state.snapshot();
    }

    int sensorCount() {
        return intake.sensorCount();
    }

    /** Waits for the connection to reach a state; for tests and tools, never for the message path. */
    boolean awaitConnection(Predicate<ConnectionState.Snapshot> condition, Duration timeout) throws InterruptedException {
        return state.await(condition, timeout);
    }

    /** The broker connection itself, then each sensor heard of. */
    List<DeviceDTO> devices() {
        long now = System.currentTimeMillis();
        ConnectionState.Snapshot connection = state.snapshot();
        List<DeviceDTO> out = new ArrayList<>();
        out.add(brokerEntry(connection, now));
        out.addAll(intake.sensorDevices(connection.connected(), now));
        return out;
    }

    private DeviceDTO brokerEntry(ConnectionState.Snapshot connection, long now) {
        DeviceDTO dto = new DeviceDTO();
        dto.agent = MqttAgent.NAME;
        dto.name = "broker:" + settings.name();
        dto.address = settings.brokerUrl() + " " + String.join(",", settings.topics());
        dto.lastSeenMillis = intake.lastMessageMillis();
        dto.eventsPerSecond = intake.messagesPerSecond(now);
        for (ErrorReason reason : ErrorReason.values()) {
            dto.errors += stats.errors(reason);
        }
        dto.lastError = connection.phase() == Phase.IDLE && connection.lastError() == null
                ? "not connected: nobody subscribes to the agent's events yet"
                : connection.lastError();
        dto.state = switch (connection.phase()) {
            case SUBSCRIBING, RECEIVING -> connection.refused() ? "error" : "up";
            case WAITING_RETRY -> connection.refused() ? "error" : "down";
            case CLOSED -> "down";
            case IDLE, CONNECTING -> connection.lastError() == null ? "unknown" : "down";
        };
        return dto;
    }

    // ---- plumbing

    private void onControl(Runnable task) {
        try {
            control.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("MQTT subscription {}: unexpected failure in the connection logic", settings.name(), e);
        }
    }

    private static IMqttActionListener listener(Consumer<IMqttToken> success, Consumer<Throwable> failure) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                success.accept(token);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failure.accept(e);
            }
        };
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            onControl(() -> lost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws MessageIntake.UndeliveredException {
            if (!subscribedTopics.match(topic)) {
                stats.error(ErrorReason.UNSUBSCRIBED);
                unsubscribedLog.warn("MQTT subscription " + settings.name() + ": a message on " + topic + " matches none of its "
                        + "topics " + settings.topics() + ": dropped (the broker keeps a filter of an earlier configuration "
                        + "for client id " + settings.clientId() + ")");
                return;
            }
            try {
                // An UndeliveredException goes to Paho, which then sends no acknowledgement and drops
                // the connection; the session reconnects and the broker delivers the message again.
                intake.receive(topic, message.getPayload());
            } catch (RuntimeException e) {
                // A bug on one message must not make the broker send it forever: logged, counted, acknowledged.
                stats.error(ErrorReason.FAILED);
                LOG.error("MQTT subscription {}: failed on a message from {}", settings.name(), topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the agent publishes nothing
        }
    }
}
