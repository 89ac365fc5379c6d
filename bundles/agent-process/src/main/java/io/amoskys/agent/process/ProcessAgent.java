package io.amoskys.agent.process;

import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 * since the last look, memory, threads, open fds and sockets, parent chain, user, executable
 * path and SHA-256, plus {@code event=start|exit} events between looks (see {@link ProcessScanner}
 * for what polling cannot see). Reading stops at {@code maxProcesses}, executables are hashed
 * once per file version (bounded cache, size cap) and nothing beyond /proc/PID/stat is read
 * while nobody subscribes, so that the agent's own cost stays bounded; that cost is published
 * as {@code amoskys_process_*} metrics.
 */
@Component(configurationPid = ProcessAgent.PID, service = {Agent.class, MetricsSource.class})
@PluginName("process")
@Designate(ocd = ProcessAgent.Config.class)
public class ProcessAgent implements Agent, MetricsSource {
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

        @AttributeDefinition(description = "The passwd file naming users by uid (re-read when it changes)")
        String passwdFile() default "/etc/passwd";
    }

    private final ProcReader reader;
    private final ProcessScanner scanner;
    private final ExeHasher hasher = new ExeHasher(ExeHasher.DEFAULT_ENTRIES, ExeHasher.DEFAULT_MAX_BYTES);
    private final ScanStats stats;
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong looks = new AtomicLong();
    private long reportedUnreadable;

    @Activate
    public ProcessAgent(Config config) {
        if (config.intervalMillis() < 100) {
            throw new IllegalArgumentException(PID + ": intervalMillis must be at least 100, was " + config.intervalMillis());
        }
        if (config.maxProcesses() < 1) {
            throw new IllegalArgumentException(PID + ": maxProcesses must be at least 1, was " + config.maxProcesses()
                    + " (the agent would report nothing)");
        }
        this.reader = new ProcReader(Path.of(config.procRoot()));
        this.stats = new ScanStats(hasher::entries, reader::unreadable);
        String hostname = reader.hostname();
        /* Sequence numbers start from the clock so that they keep rising across restarts. */
        AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
        this.scanner = new ProcessScanner(reader, hostname, "process@" + hostname, config.maxProcesses(), hasher,
                new UserNames(Path.of(config.passwdFile())), stats, sequence);
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

    @Override
    public void writePrometheus(StringBuilder out) {
        stats.writePrometheus(out);
    }

    long looks() {
        return looks.get();
    }

    private void look() {
        try {
            for (TelemetryEvent event : scanner.scan(!sinks.isEmpty())) {
                publish(event);
            }
            looks.incrementAndGet();
            if (reader.unreadable() > reportedUnreadable) {
                LOG.warn("{} /proc entries could not be read so far; the last: {}", reader.unreadable(), reader.lastProblem());
                reportedUnreadable = reader.unreadable();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Reading the process table failed; trying again at the next interval", e);
        }
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
