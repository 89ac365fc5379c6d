package io.amoskys.bus.internal;

import io.amoskys.api.Agent;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every in-container agent on the bus: subscribes to each {@link Agent} service as it comes
 * and publishes its events through a {@link LocalChannel} per agent id, signed with that agent's
 * own key (made and enrolled on first use, kept under {@code etc/amoskys/bus/local/}).
 */
@Component(service = MetricsSource.class, immediate = true, configurationPid = BusService.PID)
public class LocalPublisher implements MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPublisher.class);

    private final BusService bus;
    private final BusConfig config;
    private final Map<Agent, Agent.Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, LocalChannel> channels = new ConcurrentHashMap<>();
    private final LongAdder lost = new LongAdder();
    /** Agent ids already reported as unpublishable: one log line each, not one per event. */
    private final java.util.Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean active = true;

    @Activate
    public LocalPublisher(@Reference BusService bus, BusConfig config) {
        this.bus = bus;
        this.config = config;
    }

    @Reference(service = Agent.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgent(Agent agent, Map<String, Object> properties) {
        Object name = properties.get(PluginName.PROPERTY);
        subscriptions.put(agent, agent.subscribe(this::publish));
        LOG.info("Agent {} publishes to the bus", name);
    }

    void removeAgent(Agent agent) {
        Agent.Subscription subscription = subscriptions.remove(agent);
        if (subscription != null) {
            subscription.close();
        }
    }

    private void publish(TelemetryEvent event) {
        if (!active) {
            lost.increment(); // an event in flight while the publisher stops
            return;
        }
        LocalChannel channel;
        try {
            channel = channel(event);
        } catch (RuntimeException e) {
            // The sink never throws into an agent: an agent id the bus cannot take, or a key
            // that cannot be made, costs that event (counted), not the agent's thread.
            lost.increment();
            if (warned.add(event.agentId())) {
                LOG.error("Events of agent {} cannot be published: {}", event.agentId(), e.getMessage());
            }
            return;
        }
        channel.accept(event);
    }

    private LocalChannel channel(TelemetryEvent event) {
        LocalChannel channel = channels.get(event.agentId());
        return channel != null ? channel : channels.computeIfAbsent(event.agentId(), this::open);
    }

    private LocalChannel open(String agentId) {
        if (!active) {
            throw new IllegalStateException("the bus publisher is stopping");
        }
        if (!TrustStore.AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("local agent id '" + agentId + "' is not valid "
                    + "(letters, digits and . _ @ : -, at most 128)");
        }
        try {
            KeyPair pair = Ed25519Keys.loadOrCreate(localKeyFile(agentId));
            bus.trust().enroll(agentId, pair.getPublic());
            long last = bus.log().maxSequence(agentId);
            return new LocalChannel(agentId, new EnvelopeSigner(pair), last, bus::ingestSignedHere, config.localBufferEvents(),
                    config.localBatchEvents(), config.localLingerMillis(), lost);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or make the signing key of local agent " + agentId, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last sequence of local agent " + agentId, e);
        }
    }

    private Path localKeyFile(String agentId) {
        return bus.trustDir().resolve("local").resolve(agentId + ".key");
    }

    @Deactivate
    void deactivate() {
        active = false;
        subscriptions.values().forEach(Agent.Subscription::close);
        subscriptions.clear();
        channels.values().forEach(LocalChannel::close);
        channels.clear();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        out.append("# HELP amoskys_bus_local_agents In-container agents publishing to the bus\n")
                .append("# TYPE amoskys_bus_local_agents gauge\n")
                .append("amoskys_bus_local_agents ").append(channels.size()).append('\n')
                .append("# HELP amoskys_bus_local_lost_events_total Events of in-container agents the bus did not store\n")
                .append("# TYPE amoskys_bus_local_lost_events_total counter\n")
                .append("amoskys_bus_local_lost_events_total ").append(lost.sum()).append('\n');
    }
}
