package io.amoskys.agent.process;

import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent {@code process}: every interval, one telemetry event per host process with its CPU share
 * since the last look, memory, threads, parent and user. Reading stops at {@code maxProcesses}
 * so that the agent's own cost stays bounded on crowded hosts.
 */
@Component(configurationPid = ProcessAgent.PID)
@PluginName("process")
@Designate(ocd = ProcessAgent.Config.class)
public class ProcessAgent implements Agent {
    static final String PID = "io.amoskys.agent.process";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessAgent.class);

    @ObjectClassDefinition(name = "AMOSKYS process agent")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds between two looks at the process table")
        long intervalMillis() default 5000;

        @AttributeDefinition(description = "Most processes reported per look")
        int maxProcesses() default 4096;

        @AttributeDefinition(description = "The proc file system to read")
        String procRoot() default "/proc";
    }

    private final ProcReader reader;
    private final String hostname;
    private final String agentId;
    private final int maxProcesses;
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    /** Sequence numbers start from the clock so that they keep rising across restarts. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final ScheduledExecutorService scheduler;
    /** CPU ticks per process at the previous look, for the CPU share; holds only live processes. */
    private Map<String, Long> previousTicks = new HashMap<>();
    private long previousNanos;
    private final AtomicLong looks = new AtomicLong();
    private long reportedUnreadable;

    @Activate
    public ProcessAgent(Config config) {
        if (config.intervalMillis() < 100) {
            throw new IllegalArgumentException(PID + ": intervalMillis must be at least 100, was " + config.intervalMillis());
        }
        this.reader = new ProcReader(Path.of(config.procRoot()));
        this.hostname = reader.hostname();
        this.agentId = "process@" + hostname;
        this.maxProcesses = config.maxProcesses();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amoskys-agent-process");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::look, 0, config.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public Subscription subscribe(EventSink sink) {
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    long looks() {
        return looks.get();
    }

    private void look() {
        try {
            long now = System.nanoTime();
            long wallNanos = System.currentTimeMillis() * 1_000_000L;
            List<ProcessSample> samples = reader.read(maxProcesses);
            double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
            Map<String, Long> ticks = new HashMap<>(samples.size() * 2);
            for (ProcessSample p : samples) {
                String entity = "process:" + hostname + ":" + p.pid() + ":" + p.startTicks();
                ticks.put(entity, p.cpuTicks());
                Long before = previousTicks.get(entity);
                if (before == null || seconds <= 0 || sinks.isEmpty()) {
                    continue; // a CPU share needs two looks at the same process
                }
                double cpuPercent = 100.0 * (p.cpuTicks() - before) / ProcReader.TICKS_PER_SECOND / seconds;
                publish(event(entity, wallNanos, p, cpuPercent));
            }
            previousTicks = ticks;
            previousNanos = now;
            looks.incrementAndGet();
            if (reader.unreadable() > reportedUnreadable) {
                LOG.warn("{} /proc entries could not be read so far; the last: {}", reader.unreadable(), reader.lastProblem());
                reportedUnreadable = reader.unreadable();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Reading the process table failed; trying again at the next interval", e);
        }
    }

    private TelemetryEvent event(String entity, long wallNanos, ProcessSample p, double cpuPercent) {
        return TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence.getAndIncrement())
                .entityId(entity)
                .kind(EventKinds.PROCESS)
                .timestampNanos(wallNanos)
                .label("host", hostname)
                .label("name", p.name())
                .label("pid", Integer.toString(p.pid()))
                .label("ppid", Integer.toString(p.ppid()))
                .label("uid", Integer.toString(p.uid()))
                .label("state", String.valueOf(p.state()))
                .metric("cpu_percent", cpuPercent)
                .metric("resident_bytes", p.residentBytes())
                .metric("virtual_bytes", p.virtualBytes())
                .metric("threads", p.threads())
                .build();
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
}
