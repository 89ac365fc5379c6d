package io.amoskys.agent.flow;

import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.InputAgent;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.pcap.CaptureStats;
import io.amoskys.pcap.LiveCaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent {@code flow}: packets in (batches sent to {@code amoskys:agent/flow} by capture routes, or
 * a file given to {@code amoskys:replay}), bidirectional flow records out, as telemetry events of
 * kind {@code flow} to every route that reads from it, with ARP, DHCP and DNS messages as events of
 * their own kinds. One bounded flow table per capture source;
 * a capture's last batch reports its open flows.
 */
@Component(service = {Agent.class, InputAgent.class, FlowAgent.class, CaptureDecoder.class, MetricsSource.class},
        configurationPid = FlowAgent.PID)
@PluginName("flow")
@Designate(ocd = FlowAgent.Config.class)
public class FlowAgent implements InputAgent<PacketBatch>, CaptureDecoder, MetricsSource {
    static final String PID = "io.amoskys.agent.flow";
    private static final Logger LOG = LoggerFactory.getLogger(FlowAgent.class);
    private static final int BATCH = 4096;

    @ObjectClassDefinition(name = "AMOSKYS flow agent")
    public @interface Config {
        @AttributeDefinition(description = "Most flows one capture source keeps open; the least recently seen is reported early past it")
        int maxFlows() default 200_000;

        @AttributeDefinition(description = "Seconds without a packet after which a flow is reported")
        double idleTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Seconds after which a long flow is reported and goes on as a new record")
        double activeTimeoutSeconds() default 1800;

        @AttributeDefinition(description = "Seconds a closed TCP flow (FIN both ways, or RST) waits for stragglers")
        double closeTimeoutSeconds() default 5;

        @AttributeDefinition(description = "Most capture sources (interfaces, files) followed at once; past it the one fed least recently is reported and dropped")
        int maxSources() default 16;
    }

    /** One capture's flow table and what it has produced. */
    private static final class Source {
        final FlowTable table;
        long flows;
        long observations;
        volatile long lastInputNanos = System.nanoTime();
        /** The wall clock (ns) the last live batch carried; 0 for files, whose time is the capture's own. */
        volatile long lastClockNanos;
        /** What the live capture lost, as its last batch said; null for files. */
        LiveCaptureStats live;

        Source(FlowTable.Settings settings, Consumer<FlowRecord> sink, FlowTable.ObservationSink observationSink) {
            this.table = new FlowTable(settings, sink, observationSink);
        }
    }

    /** What one capture (a replayed file) amounted to. */
    public record Summary(long packets, long flows, long observations, Map<String, Long> errors, double seconds) {
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** For example {@code 2020 packets, 1005 flows, 0 errors, 0.031 s, 65.2 k packets/s}. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder().append(packets).append(" packets, ").append(flows).append(" flows, ");
            if (observations > 0) {
                s.append(observations).append(" ARP/DHCP/DNS messages, ");
            }
            s.append(errorCount()).append(" errors");
            if (!errors.isEmpty()) {
                s.append(" (");
                errors.forEach((k, v) -> s.append(k).append(' ').append(v).append(", "));
                s.setLength(s.length() - 2);
                s.append(')');
            }
            double rate = seconds > 0 ? packets / seconds : 0;
            String pretty = rate >= 1e6 ? String.format("%.1f M", rate / 1e6) : String.format("%.1f k", rate / 1e3);
            return s.append(String.format(", %.3f s, %s packets/s", seconds, pretty)).toString();
        }
    }

    private final FlowTable.Settings settings;
    private final int maxSources;
    private final String agentId;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final ScheduledExecutorService quietClock;

    @Activate
    public FlowAgent(Config config) {
        this.settings = FlowTable.Settings.ofSeconds(config.maxFlows(), config.idleTimeoutSeconds(),
                config.activeTimeoutSeconds(), config.closeTimeoutSeconds());
        this.maxSources = config.maxSources();
        this.agentId = "flow@" + hostname();
        this.quietClock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amoskys-flow-quiet-clock");
            t.setDaemon(true);
            return t;
        });
        quietClock.scheduleWithFixedDelay(this::advanceQuietLiveSources, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * On a quiet wire libpcap may block without returning (TPACKET_V3 starts its read timeout only
     * once a packet arrives), so a live source's clock stops with its traffic and a scan's last
     * closed flows would wait for the next packet. This moves such a source's clock on by the
     * wall-clock time since its last batch.
     */
    private void advanceQuietLiveSources() {
        long nowNanos = System.nanoTime();
        for (Source source : sources.values()) {
            long quietNanos = nowNanos - source.lastInputNanos;
            if (source.lastClockNanos > 0 && quietNanos >= TimeUnit.SECONDS.toNanos(1)) {
                try {
                    synchronized (source) {
                        source.table.advance(source.lastClockNanos + quietNanos);
                    }
                } catch (RuntimeException e) {
                    // A task that throws is never run again: this clock must outlive one bad moment.
                    LOG.warn("Could not report the idle flows of a quiet capture source", e);
                }
            }
        }
    }

    /** Flows still open are reported before the agent goes (configuration change, bundle stop). */
    @Deactivate
    void deactivate() {
        quietClock.shutdown();
        try {
            quietClock.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Source source : sources.values()) {
            synchronized (source) {
                source.table.flush();
            }
        }
        sources.clear();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        List<FlowMetrics.SourceView> views = new ArrayList<>();
        sources.forEach((name, source) -> {
            synchronized (source) {
                FlowCounters c = source.table.counters();
                views.add(new FlowMetrics.SourceView(name, c.packets, c.flows, c.evicted, new EnumMap<>(c.errors), source.live));
            }
        });
        views.sort(Comparator.comparing(FlowMetrics.SourceView::source));
        FlowMetrics.write(out, views);
    }

    @Override
    public Subscription subscribe(EventSink sink) {
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    @Override
    public Class<PacketBatch> inputType() {
        return PacketBatch.class;
    }

    @Override
    public void input(PacketBatch batch) {
        Source source = sources.get(batch.source());
        if (source == null) {
            source = newSource(batch.source());
        }
        source.lastInputNanos = System.nanoTime();
        synchronized (source) {
            batch.forEach(source.table);
            if (batch.clockNanos() > 0) {
                source.table.advance(batch.clockNanos());
                source.lastClockNanos = batch.clockNanos();
            }
            if (batch.liveStats() != null) {
                source.live = batch.liveStats();
            }
            if (batch.last()) {
                source.table.flush();
                sources.remove(batch.source(), source);
            }
        }
    }

    /**
     * Feeds a capture file through the agent as a capture route would, and tells what it made of
     * it; the flows go to every route reading from the agent.
     */
    public Summary replay(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        Source source;
        synchronized (sources) {
            if (sources.containsKey(name)) {
                throw new IllegalStateException(name + " is being replayed already");
            }
            source = newSource(name);
        }
        try {
            return read(file, source, this::input);
        } finally {
            sources.remove(name, source); // gone already when the capture's last batch arrived
        }
    }

    /**
     * The capture's flows and observations to {@code sink} alone, through a flow table of its
     * own: nothing reaches the routes or the bus. Their agent id ends in {@code /decode}, so that
     * their ids are never taken for those of events in the bus's log.
     */
    @Override
    public String decode(Path capture, EventSink sink) throws IOException {
        Source source = source(capture.toAbsolutePath().toString(), agentId + "/decode", sink::accept);
        return read(capture, source, batch -> {
            batch.forEach(source.table);
            if (batch.last()) {
                source.table.flush();
            }
        }).toString();
    }

    private Summary read(Path file, Source source, Consumer<PacketBatch> feed) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read capture file " + file);
        }
        long started = System.nanoTime();
        CaptureStats stats = PacketBatch.readFile(file, BATCH, feed);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> errors = new TreeMap<>();
        stats.errors().forEach((k, v) -> errors.put(k.name(), v));
        source.table.counters().errors.forEach((k, v) -> errors.put(k.name(), v));
        Summary summary = new Summary(stats.packets(), source.flows, source.observations, errors, seconds);
        LOG.info("Read {}: {}", file, summary);
        return summary;
    }

    /**
     * A new capture source; past {@code maxSources}, the one fed least recently (a capture route
     * stopped in the middle of its file, say) is reported and forgotten to make room.
     */
    private Source newSource(String name) {
        // Not inside the map's computeIfAbsent: making room removes another entry, which the map
        // forbids there (an entry in the same bin is lost, or the update throws or deadlocks).
        synchronized (sources) {
            Source known = sources.get(name);
            if (known != null) {
                return known;
            }
            makeRoomFor(name);
            Source made = source(name, agentId, this::publish);
            sources.put(name, made);
            return made;
        }
    }

    private void makeRoomFor(String name) {
        while (sources.size() >= maxSources) {
            Map.Entry<String, Source> stalest = sources.entrySet().stream()
                    .min((a, b) -> Long.compare(a.getValue().lastInputNanos, b.getValue().lastInputNanos)).orElse(null);
            if (stalest == null) {
                break;
            }
            LOG.warn("Following {} capture sources (maxSources); {} was fed least recently and is reported and dropped for {}",
                    sources.size(), stalest.getKey(), name);
            synchronized (stalest.getValue()) {
                stalest.getValue().table.flush();
            }
            sources.remove(stalest.getKey(), stalest.getValue());
        }
    }

    /** A flow table whose flows and observations go to {@code target} as events of {@code agent}. */
    private Source source(String name, String agent, Consumer<TelemetryEvent> target) {
        Source[] self = new Source[1];
        self[0] = new Source(settings, record -> {
            self[0].flows++;
            target.accept(FlowEvents.of(record, self[0].table.texts(), agent, sequence.getAndIncrement(), name));
        }, (nanos, observation, packet) -> {
            self[0].observations++;
            target.accept(FlowEvents.observation(nanos, observation, packet, self[0].table.texts(), agent, sequence.getAndIncrement(), name));
        });
        return self[0];
    }

    private void publish(TelemetryEvent event) {
        for (EventSink sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A subscriber failed on {}: {}", event.id(), e.toString());
            }
        }
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
