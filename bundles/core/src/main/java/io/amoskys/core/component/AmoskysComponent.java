package io.amoskys.core.component;

import io.amoskys.api.PluginKind;
import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.core.plugins.PluginListener;
import io.amoskys.core.plugins.PluginRegistry;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The {@code amoskys:} Camel component: {@code amoskys:KIND/NAME[?holdCapacity=N]} reaches the
 * plugin of that kind and name in the OSGi service registry when each message arrives, so plugins
 * can be installed, updated and removed while routes run; {@code amoskys:bus/CONSUMER} reads the
 * event bus's log (see {@link BusEndpoint}).
 */
public final class AmoskysComponent extends DefaultComponent implements PluginListener {
    public static final String SCHEME = "amoskys";
    /** Detector steps score up to this many vectors per call unless the URI says ?batchSize=N. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** ... or what arrived within this many milliseconds of the first ({@code ?maxDelay=N}). */
    public static final long DEFAULT_MAX_DELAY_MILLIS = 5;
    private static final List<String> DETECTOR_OPTIONS = List.of("batchSize", "maxDelay");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The bus keeps a consumer's offset under its name, in a column this wide. */
    static final int MAX_CONSUMER_NAME = 128;

    private final PluginRegistry registry;
    private final DeadLetters deadLetters;
    private final int defaultHoldCapacity;
    private volatile int defaultBatchSize = DEFAULT_BATCH_SIZE;
    private volatile long defaultMaxDelay = DEFAULT_MAX_DELAY_MILLIS;
    /** The started endpoint per URI: those that routes use now. */
    private final Map<String, PluginEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, BusEndpoint> busEndpoints = new ConcurrentHashMap<>();
    private final Map<String, EndpointCounters> counters = new ConcurrentHashMap<>();
    private final EventLogHolder eventLogs;
    private final AlertAdmission admission = new AlertAdmission();
    private final Map<String, BusConsumer> consumerNames = new ConcurrentHashMap<>();

    public AmoskysComponent(PluginRegistry registry, DeadLetters deadLetters, int defaultHoldCapacity, EventLogHolder eventLogs) {
        this.registry = registry;
        this.eventLogs = eventLogs;
        this.deadLetters = deadLetters;
        this.defaultHoldCapacity = defaultHoldCapacity;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] parts = remaining.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + uri + "' must look like amoskys:KIND/NAME, for example amoskys:detector/zscore");
        }
        if (BusEndpoint.KIND.equals(parts[0])) {
            if (!NAME.matcher(parts[1]).matches() || parts[1].length() > MAX_CONSUMER_NAME) {
                throw new IllegalArgumentException("'" + uri + "' has no valid consumer name after 'bus/' (up to "
                        + MAX_CONSUMER_NAME + " letters, digits, '.', '_' and '-')");
            }
            BusEndpoint endpoint = new BusEndpoint(uri, this, parts[1]);
            setProperties(endpoint, parameters);
            return endpoint;
        }
        PluginKind kind = PluginKind.fromUriName(parts[0]).orElseThrow(() -> new IllegalArgumentException(
                "'" + uri + "' names no plugin kind: '" + parts[0] + "' is not 'bus' nor one of "
                        + Arrays.stream(PluginKind.values()).map(PluginKind::uriName).toList()));
        if (!NAME.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("'" + uri + "' has no valid plugin name after '" + parts[0]
                    + "/' (letters, digits, '.', '_' and '-')");
        }
        if (kind != PluginKind.DETECTOR) {
            for (String option : DETECTOR_OPTIONS) {
                if (parameters.containsKey(option)) {
                    throw new IllegalArgumentException("'" + uri + "': " + option + " applies to detectors only (amoskys:detector/NAME?"
                            + option + "=...)");
                }
            }
        }
        PluginEndpoint endpoint = new PluginEndpoint(uri, this, kind, parts[1], defaultHoldCapacity, defaultBatchSize, defaultMaxDelay);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Platform-wide defaults of the detector endpoints' {@code batchSize} and {@code maxDelay} (ms). */
    public void setDetectorBatching(int batchSize, long maxDelayMillis) {
        if (batchSize < 1 || batchSize > PluginEndpoint.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + PluginEndpoint.MAX_BATCH_SIZE + ", was " + batchSize);
        }
        if (maxDelayMillis < 0 || maxDelayMillis > PluginEndpoint.MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException("maxDelay must be between 0 and " + PluginEndpoint.MAX_DELAY_MILLIS + " ms, was " + maxDelayMillis);
        }
        this.defaultBatchSize = batchSize;
        this.defaultMaxDelay = maxDelayMillis;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        registry.addListener(this);
        getCamelContext().getManagementStrategy().addEventNotifier(releaseOnContextStop);
    }

    /**
     * When the context stops, Camel first waits for in-flight exchanges (up to its shutdown
     * timeout); held ones would wait for a plugin that may never come, so they are dead-lettered
     * as soon as the stop begins.
     */
    private final EventNotifierSupport releaseOnContextStop = new EventNotifierSupport() {
        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            releaseHeld(null, "platform stopping while the message waited for its plugin");
        }
    };

    @Override
    protected void doStop() throws Exception {
        registry.removeListener(this);
        super.doStop();
    }

    @Override
    public void pluginChanged(PluginKind kind, String name) {
        for (PluginEndpoint endpoint : endpoints.values()) {
            if (endpoint.getKind() == kind && endpoint.getName().equals(name)) {
                endpoint.pluginChanged();
            }
        }
    }

    /**
     * Dead-letters the messages that routes about to be removed left waiting for plugins
     * ({@code routeIds} null: every route's).
     */
    public void releaseHeld(Collection<String> routeIds, String reason) {
        endpoints.values().forEach(endpoint -> endpoint.release(routeIds, reason));
    }

    public List<EndpointDTO> endpointStatus() {
        return java.util.stream.Stream.concat(endpoints.values().stream().map(PluginEndpoint::toDTO),
                        busEndpoints.values().stream().map(BusEndpoint::toDTO))
                .sorted(Comparator.comparing((EndpointDTO e) -> e.kind).thenComparing(e -> e.name).thenComparing(e -> e.uri))
                .toList();
    }

    void endpointStarted(PluginEndpoint endpoint) {
        endpoints.put(endpoint.getEndpointUri(), endpoint);
    }

    void endpointStopped(PluginEndpoint endpoint) {
        endpoints.remove(endpoint.getEndpointUri(), endpoint);
    }

    void endpointStarted(BusEndpoint endpoint) {
        busEndpoints.put(endpoint.getEndpointUri(), endpoint);
    }

    void endpointStopped(BusEndpoint endpoint) {
        busEndpoints.remove(endpoint.getEndpointUri(), endpoint);
    }

    /** See {@link io.amoskys.api.admin.LogReplay}. */
    public String replay(String consumer, java.time.Instant from, java.time.Instant to) throws InterruptedException {
        List<BusConsumer> readers = busEndpoints.values().stream()
                .filter(e -> e.getConsumerName().equals(consumer))
                .flatMap(e -> e.runningConsumers().stream())
                .toList();
        if (readers.isEmpty()) {
            throw new IllegalArgumentException("no started route reads from amoskys:bus/" + consumer);
        }
        io.amoskys.api.bus.EventLog log = eventLogs.current();
        if (log == null) {
            throw new IllegalStateException("the event bus is not running");
        }
        long first = log.offsetAt(from);
        long last = log.offsetAt(to) - 1;
        long started = System.nanoTime();
        long events = 0;
        for (BusConsumer reader : readers) {
            events += first <= last ? reader.replay(log, first, last) : 0;
        }
        return String.format("replayed offsets %d..%d to amoskys:bus/%s: %d events through %d route(s) in %.2f s",
                first, Math.max(first - 1, last), consumer, events, readers.size(), (System.nanoTime() - started) / 1e9);
    }

    void claimConsumerName(String name, BusConsumer consumer) {
        BusConsumer other = consumerNames.putIfAbsent(name, consumer);
        if (other != null && other != consumer) {
            throw new IllegalStateException("amoskys:bus/" + name + " is already read by route "
                    + other.getRouteId() + ": give each route its own consumer name");
        }
    }

    void releaseConsumerName(String name, BusConsumer consumer) {
        consumerNames.remove(name, consumer);
    }

    /** Where rules' alerts are admitted: the platform context sets the alert store here. */
    public AlertAdmission admission() {
        return admission;
    }

    EventLogHolder eventLogs() {
        return eventLogs;
    }

    /** Every message dead-lettered since start, by any endpoint, including those no route uses now. */
    public long deadLetteredTotal() {
        return deadLetters.count();
    }

    EndpointCounters countersFor(String uri) {
        return counters.computeIfAbsent(uri, u -> new EndpointCounters());
    }

    PluginRegistry registry() {
        return registry;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }
}
