package io.amoskys.core.component;

import io.amoskys.api.PluginKind;
import io.amoskys.api.admin.EndpointDTO;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code amoskys:KIND/NAME}: a plugin addressed by kind and name. */
public final class PluginEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {
    /** Memory stays bounded: a million held messages is already far more than any plugin gap needs. */
    static final int MAX_HOLD_CAPACITY = 1_000_000;

    private final AmoskysComponent component;
    private final PluginKind kind;
    private final String name;
    private int holdCapacity;

    private final EndpointCounters counters;
    private PluginGate gate;
    private ExecutorService drainer;

    PluginEndpoint(String uri, AmoskysComponent component, PluginKind kind, String name, int holdCapacity) {
        super(uri, component);
        this.component = component;
        this.kind = kind;
        this.name = name;
        setHoldCapacity(holdCapacity);
        this.counters = component.countersFor(displayUri(uri));
    }

    public PluginKind getKind() {
        return kind;
    }

    public String getName() {
        return name;
    }

    /** How many messages may wait for a missing plugin before they are dead-lettered. */
    public int getHoldCapacity() {
        return holdCapacity;
    }

    public void setHoldCapacity(int holdCapacity) {
        if (holdCapacity < 0 || holdCapacity > MAX_HOLD_CAPACITY) {
            throw new IllegalArgumentException("holdCapacity must be between 0 and " + MAX_HOLD_CAPACITY + ", was " + holdCapacity);
        }
        this.holdCapacity = holdCapacity;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        drainer = getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "amoskys-drain-" + kind.uriName() + "-" + name);
        gate = new PluginGate(getEndpointUri(), kind, name, component.registry(), component.deadLetters(),
                holdCapacity, drainer, counters);
        component.endpointStarted(this);
    }

    /** Camel stops an endpoint when no route uses it any more (or the context stops). */
    @Override
    protected void doStop() throws Exception {
        component.endpointStopped(this);
        if (gate != null) {
            gate.release(null, "no route uses " + displayUri(getEndpointUri()) + " any more while the message waited");
            getCamelContext().getExecutorServiceManager().shutdownNow(drainer);
        }
        super.doStop();
    }

    /** Several routes may read from one agent; each gets its own subscription. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return kind == PluginKind.AGENT;
    }

    /** Sending to an agent feeds it (see InputAgent); to any other kind, calls it. */
    @Override
    public Producer createProducer() {
        return new PluginProducer(this, gate);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (kind != PluginKind.AGENT) {
            throw new IllegalArgumentException(getEndpointUri() + " is a " + kind.uriName()
                    + ": only agents can start a route ('from')");
        }
        Consumer consumer = new AgentConsumer(this, processor, component.registry());
        configureConsumer(consumer);
        return consumer;
    }

    /** An agent delivered one event to a route reading from this endpoint. */
    void eventReceived() {
        counters.delivered.increment();
    }

    void pluginChanged() {
        if (gate != null) {
            gate.pluginChanged();
        }
    }

    void release(Collection<String> routeIds, String reason) {
        if (gate != null) {
            gate.release(routeIds, reason);
        }
    }

    /** Camel normalises {@code amoskys:detector/x} to {@code amoskys://detector/x}; show what people write. */
    public static String displayUri(String uri) {
        return uri.startsWith(AmoskysComponent.SCHEME + "://")
                ? AmoskysComponent.SCHEME + ":" + uri.substring(AmoskysComponent.SCHEME.length() + 3)
                : uri;
    }

    EndpointDTO toDTO() {
        EndpointDTO dto = new EndpointDTO();
        dto.uri = displayUri(getEndpointUri());
        dto.kind = kind.uriName();
        dto.name = name;
        dto.available = component.registry().find(kind, name).isPresent();
        dto.holdCapacity = holdCapacity;
        dto.delivered = counters.delivered.sum();
        dto.filtered = counters.filtered.sum();
        dto.failed = counters.failed.sum();
        dto.deadLettered = counters.deadLettered.sum();
        dto.held = gate == null ? 0 : gate.heldCount();
        return dto;
    }
}
