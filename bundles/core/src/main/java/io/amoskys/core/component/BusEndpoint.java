package io.amoskys.core.component;

import io.amoskys.api.admin.EndpointDTO;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code amoskys:bus/CONSUMER[?kinds=flow,dns][&batchSize=N][&batchesInFlight=N][&batched=true]}:
 * the events of the write-ahead log, read in order by a named consumer that resumes after its last
 * committed offset (so a restart neither loses nor repeats more than the batches in progress).
 */
public final class BusEndpoint extends DefaultEndpoint {
    static final String KIND = "bus";

    private final AmoskysComponent component;
    private final String consumerName;
    private final EndpointCounters counters;
    private String kinds = "";
    private int batchSize = 256;
    private int batchesInFlight = 4;
    private boolean batched;
    private final List<BusConsumer> consumers = new CopyOnWriteArrayList<>();

    BusEndpoint(String uri, AmoskysComponent component, String consumerName) {
        super(uri, component);
        this.component = component;
        this.consumerName = consumerName;
        this.counters = component.countersFor(PluginEndpoint.displayUri(uri));
    }

    public String getConsumerName() {
        return consumerName;
    }

    /** Dead-letters what the route left waiting for plugins: see {@link AmoskysComponent#releaseHeld}. */
    void releaseHeld(String routeId, String reason) {
        component.releaseHeld(List.of(routeId), reason);
    }

    /** Comma-separated event kinds to read; empty for all. */
    public String getKinds() {
        return kinds;
    }

    public void setKinds(String kinds) {
        this.kinds = kinds;
    }

    /** Most events handed to the route before the consumer commits its offset. */
    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 100000, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Most batches in the route at once: the next batch's first steps run while the last one's
     * later steps (detectors on their own threads) finish. Offsets are committed in order as
     * batches finish; 1 reads the next batch only when the last is done.
     */
    public int getBatchesInFlight() {
        return batchesInFlight;
    }

    public void setBatchesInFlight(int batchesInFlight) {
        if (batchesInFlight < 1 || batchesInFlight > 64) {
            throw new IllegalArgumentException("batchesInFlight must be between 1 and 64, was " + batchesInFlight);
        }
        this.batchesInFlight = batchesInFlight;
    }

    /**
     * True: each exchange carries a whole log batch ({@link EventBatch}) instead of one event, for
     * routes made only of {@code amoskys:} steps and EIPs that do not look at bodies (multicast,
     * pipeline): plugins still see one event at a time, but Camel's work is paid once per batch.
     */
    public boolean isBatched() {
        return batched;
    }

    public void setBatched(boolean batched) {
        this.batched = batched;
    }

    Set<String> kindSet() {
        return Arrays.stream(kinds.split(",")).map(String::strip).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    @Override
    public Producer createProducer() {
        throw new IllegalArgumentException(PluginEndpoint.displayUri(getEndpointUri())
                + " can only start a route ('from'): agents publish to the bus, routes read from it");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        BusConsumer consumer = new BusConsumer(this, processor, component.eventLogs());
        configureConsumer(consumer);
        consumers.add(consumer);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        component.endpointStarted(this);
    }

    @Override
    protected void doStop() throws Exception {
        component.endpointStopped(this);
        super.doStop();
    }

    /** The started readers of this endpoint (one per route reading it). */
    List<BusConsumer> runningConsumers() {
        return consumers.stream().filter(BusConsumer::isRunning).toList();
    }

    void eventsDelivered(int count) {
        counters.delivered.add(count);
    }

    void eventFailed() {
        counters.failed.increment();
    }

    void deadLetter(io.amoskys.api.bus.LoggedEvent event, Throwable failure) {
        counters.deadLettered.increment();
        component.deadLetters().record(PluginEndpoint.displayUri(getEndpointUri()),
                "route failed on log offset " + event.offset() + "/" + event.index() + ": " + failure, event.event());
    }

    void claim(BusConsumer consumer) {
        component.claimConsumerName(consumerName, consumer);
    }

    void release(BusConsumer consumer) {
        component.releaseConsumerName(consumerName, consumer);
    }

    EndpointDTO toDTO() {
        EndpointDTO dto = new EndpointDTO();
        dto.uri = PluginEndpoint.displayUri(getEndpointUri());
        dto.kind = KIND;
        dto.name = consumerName;
        dto.available = component.eventLogs().current() != null;
        dto.delivered = counters.delivered.sum();
        dto.failed = counters.failed.sum();
        dto.deadLettered = counters.deadLettered.sum();
        return dto;
    }
}
