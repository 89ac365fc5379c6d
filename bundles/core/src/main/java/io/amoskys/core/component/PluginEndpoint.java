package io.amoskys.core.component;

import io.amoskys.api.PluginKind;
import io.amoskys.api.admin.EndpointDTO;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code amoskys:KIND/NAME}: a plugin addressed by kind and name. */
public final class PluginEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {
    /** Memory stays bounded: a million held messages is already far more than any plugin gap needs. */
    static final int MAX_HOLD_CAPACITY = 1_000_000;
    static final int MAX_BATCH_SIZE = 10_000;
    static final long MAX_DELAY_MILLIS = 60_000;
    /** How long a stopping endpoint lets its detector batches go through before dead-lettering them. */
    private static final long FLUSH_ON_STOP_MILLIS = 10_000;

    private final AmoskysComponent component;
    private final PluginKind kind;
    private final String name;
    private int holdCapacity;
    private int batchSize;
    private long maxDelay;
    private String whenMissing = WHEN_MISSING_HOLD;
    private AlertFilter alertFilter = AlertFilter.ALL;
    static final String WHEN_MISSING_HOLD = "hold";
    static final String WHEN_MISSING_SKIP = "skip";

    private final EndpointCounters counters;
    private PluginGate gate;
    private ExecutorService drainer;
    private ScheduledExecutorService flusher;

    PluginEndpoint(String uri, AmoskysComponent component, PluginKind kind, String name, int holdCapacity,
            int batchSize, long maxDelay) {
        super(uri, component);
        this.component = component;
        this.kind = kind;
        this.name = name;
        setHoldCapacity(holdCapacity);
        setBatchSize(batchSize);
        setMaxDelay(maxDelay);
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

    /**
     * Detectors only: most vectors scored by one {@code Detector.scoreAll} call. 1 scores each
     * vector alone, on the sender's thread, as other plugin kinds are called.
     */
    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Detectors only: the longest a vector waits, in milliseconds, for others to fill its batch
     * before the batch is scored anyway (senders that finish a piece of work, such as a bus
     * consumer's log batch, have it scored at once).
     */
    public long getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(long maxDelay) {
        if (maxDelay < 0 || maxDelay > MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException("maxDelay must be between 0 and " + MAX_DELAY_MILLIS + " ms, was " + maxDelay);
        }
        this.maxDelay = maxDelay;
    }

    /**
     * What a message does while the plugin is missing: {@code hold} (the default: it waits, up to
     * {@code holdCapacity}, so a plugin being updated loses nothing) or {@code skip} (it stops here,
     * counted as filtered: for an optional branch, such as one model of several, whose absence must
     * not hold the other branches' messages, which wait for every branch to finish).
     */
    public String getWhenMissing() {
        return whenMissing;
    }

    public void setWhenMissing(String whenMissing) {
        if (!WHEN_MISSING_HOLD.equals(whenMissing) && !WHEN_MISSING_SKIP.equals(whenMissing)) {
            throw new IllegalArgumentException("whenMissing must be hold or skip, was " + whenMissing);
        }
        this.whenMissing = whenMissing;
    }

    /** Responders only: the lowest severity of the alerts this responder gets (info, low, medium, high, critical). */
    public void setMinSeverity(String minSeverity) {
        alertFilter = responderOnly("minSeverity").withMinSeverity(minSeverity);
    }

    /** Responders only: it gets alerts with any of these tags (comma-separated, e.g. attack.t1046). */
    public void setTags(String tags) {
        alertFilter = responderOnly("tags").withTags(tags);
    }

    /** Responders only: it gets alerts of rules matching any of these patterns (comma-separated; * and ?). */
    public void setRules(String rules) {
        alertFilter = responderOnly("rules").withRules(rules);
    }

    /** Responders only: it gets alerts on entities matching any of these patterns (comma-separated; * and ?). */
    public void setEntities(String entities) {
        alertFilter = responderOnly("entities").withEntities(entities);
    }

    private AlertFilter responderOnly(String option) {
        if (kind != PluginKind.RESPONDER) {
            throw new IllegalArgumentException(option + " filters alerts and applies to amoskys:responder/NAME steps only");
        }
        return alertFilter;
    }

    boolean batched() {
        return kind == PluginKind.DETECTOR && batchSize > 1;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        drainer = getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "amoskys-drain-" + kind.uriName() + "-" + name);
        gate = new PluginGate(getEndpointUri(), kind, name, component.registry(), component.deadLetters(),
                holdCapacity, drainer, counters, component.admission());
        gate.skipWhenMissing(WHEN_MISSING_SKIP.equals(whenMissing));
        gate.filterAlerts(alertFilter);
        if (batched()) {
            flusher = getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "amoskys-batch-" + kind.uriName() + "-" + name);
            gate.batchWith(new DetectorBatcher(gate, batchSize, TimeUnit.MILLISECONDS.toNanos(maxDelay), flusher));
        }
        component.endpointStarted(this);
    }

    /** Camel stops an endpoint when no route uses it any more (or the context stops). */
    @Override
    protected void doStop() throws Exception {
        component.endpointStopped(this);
        if (gate != null && gate.batcher() != null) {
            // What was gathered is scored (or goes back to the gate, released below), then no more.
            gate.batcher().close();
            getCamelContext().getExecutorServiceManager().shutdownGraceful(flusher, FLUSH_ON_STOP_MILLIS);
            gate.batcher().abandon("no route uses " + displayUri(getEndpointUri()) + " any more while the message waited for its batch");
        }
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

    /**
     * Camel normalises {@code amoskys:bus/x?kinds=flow,dns&batched=true} to
     * {@code amoskys://bus/x?batched=true&kinds=flow%2Cdns}: show what people write, in Camel's
     * (sorted) order of options.
     */
    public static String displayUri(String uri) {
        String shown = uri.startsWith(AmoskysComponent.SCHEME + "://")
                ? AmoskysComponent.SCHEME + ":" + uri.substring(AmoskysComponent.SCHEME.length() + 3)
                : uri;
        if (shown.indexOf('%') < 0) {
            return shown;
        }
        try {
            return URLDecoder.decode(shown.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return shown; // not Camel's encoding after all
        }
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
