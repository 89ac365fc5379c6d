package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.IotReading;
import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent {@code mqtt}: one agent for every broker subscription (each one a factory configuration,
 * see {@link MqttSubscriptionComponent}), so that routes reading {@code amoskys:agent/mqtt} get
 * every sensor's readings. Also lists the sensors and their health, and the agent's metrics.
 */
@Component(service = {Agent.class, DeviceHealthSource.class, MetricsSource.class, MqttAgent.class}, immediate = true)
@PluginName(MqttAgent.NAME)
public class MqttAgent implements Agent, DeviceHealthSource, MetricsSource {
    public static final String NAME = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttAgent.class);

    private final String agentId;
    /** Sequence numbers start from the clock so that they keep rising across restarts. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final Map<String, BrokerSession> sessions = new ConcurrentHashMap<>();

    @Activate
    public MqttAgent() {
        this(NAME + "@" + hostname());
    }

    MqttAgent(String agentId) {
        this.agentId = agentId;
    }

    @Deactivate
    void deactivate() {
        sessions.values().forEach(this::close);
    }

    String agentId() {
        return agentId;
    }

    /** Starts a subscription; it connects while the agent has subscribers. Names are unique. */
    public synchronized BrokerSession open(SubscriptionSettings settings) throws Exception {
        if (sessions.containsKey(settings.name())) {
            throw new IllegalStateException("mqtt subscription '" + settings.name()
                    + "' is configured twice; give each configuration its own name");
        }
        BrokerSession session = new BrokerSession(settings, this::deliver);
        sessions.put(settings.name(), session);
        session.demand(!sinks.isEmpty());
        LOG.info("Opened {}", settings);
        return session;
    }

    /** Stops a subscription and forgets it; the broker keeps a persistent session's messages. */
    public void close(BrokerSession session) {
        sessions.remove(session.settings().name(), session);
        session.close();
    }

    @Override
    public synchronized Subscription subscribe(EventSink sink) {
        sinks.add(sink);
        if (sinks.size() == 1) {
            sessions.values().forEach(s -> s.demand(true));
        }
        return () -> unsubscribe(sink);
    }

    private synchronized void unsubscribe(EventSink sink) {
        if (sinks.remove(sink) && sinks.isEmpty()) {
            sessions.values().forEach(s -> s.demand(false));
        }
    }

    /** Hands one reading to every subscriber; false if none took it or one failed. */
    private boolean deliver(IotReading reading) {
        TelemetryEvent event = ReadingEvents.of(reading, agentId, sequence.getAndIncrement());
        boolean taken = !sinks.isEmpty();
        for (EventSink sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                taken = false;
                LOG.warn("A subscriber failed on {}: {}", event.id(), e.toString());
            }
        }
        return taken;
    }

    @Override
    public List<DeviceDTO> devices() {
        return sorted().stream().flatMap(s -> s.devices().stream()).toList();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        MetricsWriter.write(out, sorted());
    }

    private List<BrokerSession> sorted() {
        return sessions.values().stream().sorted(Comparator.comparing(s -> s.settings().name())).toList();
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
