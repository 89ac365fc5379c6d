package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.event.EventFactory;
import io.amoskys.agent.snmp.event.EventPublisher;
import io.amoskys.agent.snmp.event.PollInterpreter;
import io.amoskys.agent.snmp.health.DeviceHealth;
import io.amoskys.agent.snmp.health.PrometheusWriter;
import io.amoskys.agent.snmp.poll.DevicePoller;
import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.poll.PollData;
import io.amoskys.agent.snmp.poll.PollFailure;
import io.amoskys.agent.snmp.poll.SnmpClient;
import io.amoskys.agent.snmp.trap.Notification;
import io.amoskys.agent.snmp.trap.TrapEvents;
import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.smi.UdpAddress;

/**
 * Agent {@code snmp}: polls every configured device ({@link SnmpDeviceConfiguration}, one factory
 * configuration each) on its own interval and publishes what it reads as events; receives the
 * notifications of {@code SnmpTrapReceiverComponent}; reports each device's health.
 *
 * <p>Threads: one scheduler starts polls (sending is asynchronous: it never waits for a device);
 * up to {@value #LOOKUP_THREADS} look host names up first, so that a name server that does not
 * answer never holds up the scheduler; SNMP4J's receiving thread completes polls; one worker turns
 * answers into events; one publisher thread hands events to the sinks. The lookup, work and event
 * queues are bounded; what does not fit is dropped and counted ({@code overload}).
 */
@Component(service = {Agent.class, DeviceHealthSource.class, MetricsSource.class, SnmpAgent.class},
        configurationPid = SnmpAgent.PID)
@PluginName("snmp")
@Designate(ocd = SnmpAgent.Config.class)
public class SnmpAgent implements Agent, DeviceHealthSource, MetricsSource {
    static final String PID = "io.amoskys.agent.snmp.agent";
    private static final Logger LOG = LoggerFactory.getLogger(SnmpAgent.class);
    /** Lookups of host names at once: a name server that times out (resolv.conf: 5 s a try) holds one each. */
    static final int LOOKUP_THREADS = 4;

    @ObjectClassDefinition(name = "AMOSKYS SNMP agent",
            description = "Settings shared by all devices; each device is a factory configuration io.amoskys.agent.snmp-NAME")
    public @interface Config {
        @AttributeDefinition(description = "Events waiting for the subscribers at most; more are dropped and counted")
        int eventQueueCapacity() default 10_000;

        @AttributeDefinition(description = "Finished polls waiting to be turned into events at most; more are dropped and counted")
        int workQueueCapacity() default 1024;
    }

    private final EventFactory events = new EventFactory("snmp@" + hostname());
    private final EventPublisher publisher;
    private final PollInterpreter interpreter = new PollInterpreter(events);
    private final SnmpClient client;
    private final DevicePoller poller;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor worker;
    private final ThreadPoolExecutor lookups;
    private final PolledDevice.HostLookup lookup;
    private final Map<String, PolledDevice> byPid = new ConcurrentHashMap<>();

    @Activate
    public SnmpAgent(Config config) throws IOException {
        this(config, InetAddress::getAllByName);
    }

    /** With the host name lookup given: a test's stands for a name server that does not answer. */
    SnmpAgent(Config config, PolledDevice.HostLookup lookup) throws IOException {
        // ArrayBlockingQueue says only "IllegalArgumentException" of a bad capacity, and every device would go down with it.
        if (config.eventQueueCapacity() < 1 || config.workQueueCapacity() < 1) {
            throw new IllegalArgumentException(PID + ": eventQueueCapacity and workQueueCapacity must be at "
                    + "least 1, were " + config.eventQueueCapacity() + " and " + config.workQueueCapacity());
        }
        this.lookup = lookup;
        this.client = new SnmpClient(new UdpAddress("0.0.0.0/0"));
        this.poller = new DevicePoller(client);
        this.publisher = new EventPublisher(config.eventQueueCapacity(), "amoskys-agent-snmp-publish");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("amoskys-agent-snmp-schedule"));
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.workQueueCapacity()),
                daemon("amoskys-agent-snmp-work"));
        // A device has at most one poll, so one lookup, under way: the queue fills only with more devices than it holds.
        this.lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.workQueueCapacity()), daemon("amoskys-agent-snmp-lookup"));
        lookups.allowCoreThreadTimeOut(true);
    }

    @Deactivate
    void deactivate() throws IOException, InterruptedException {
        byPid.values().forEach(this::stop);
        byPid.clear();
        scheduler.shutdownNow();
        lookups.shutdownNow(); // a lookup in a name server's timeout is not interruptible: its daemon thread ends with it
        worker.shutdownNow();
        client.close();
        publisher.close();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public Subscription subscribe(EventSink sink) {
        return publisher.subscribe(sink);
    }

    /**
     * Adds a device, or replaces it when its settings changed (its counter history and health
     * start again). Its first poll is under way when this returns.
     *
     * @param pid the configuration's PID: the key for {@link #remove}
     * @throws IllegalArgumentException when another configuration already uses the name, or shares
     *     the v3 user name with other passwords (SNMP4J keys users by name until the engine ID is known)
     */
    public synchronized void configure(String pid, DeviceSettings settings) {
        PolledDevice current = byPid.get(pid);
        if (current != null && current.settings.equals(settings)) {
            return;
        }
        for (PolledDevice other : byPid.values()) {
            if (other.pid.equals(pid)) {
                continue;
            }
            if (other.settings.name().equals(settings.name())) {
                throw new IllegalArgumentException(DeviceSettings.PID + ": name '" + settings.name()
                        + "' is already used by configuration " + other.pid);
            }
            DeviceSettings.V3 mine = settings.v3();
            DeviceSettings.V3 theirs = other.settings.v3();
            if (mine != null && theirs != null && mine.engineId() == null && theirs.engineId() == null
                    && mine.user().equals(theirs.user()) && !mine.sameSecrets(theirs)) {
                throw new IllegalArgumentException(DeviceSettings.PID + ": v3 user '" + mine.user() + "' of device '" + settings.name()
                        + "' has other passwords or protocols than on device '" + other.settings.name()
                        + "': set engineId on both, or use the same credentials");
            }
        }
        if (current != null) {
            stop(current);
        }
        PolledDevice device = new PolledDevice(pid, settings);
        byPid.put(pid, device);
        if (settings.v3() != null) {
            client.addUser(settings.v3());
        }
        trigger(device, false);
        long interval = settings.pollInterval().toMillis();
        device.schedule = scheduler.scheduleAtFixedRate(() -> trigger(device, true), interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("SNMP device {} {}", current == null ? "added:" : "changed:", settings);
    }

    /** Stops polling the device of this configuration; a poll under way is discarded. */
    public synchronized void remove(String pid) {
        PolledDevice device = byPid.remove(pid);
        if (device != null) {
            stop(device);
            LOG.info("SNMP device removed: {}", device.settings.name());
        }
    }

    private void stop(PolledDevice device) {
        device.removed = true;
        if (device.schedule != null) {
            device.schedule.cancel(false);
        }
        if (device.settings.v3() != null) {
            client.removeUser(device.settings.v3());
        }
    }

    /** Polls the device now, or joins the poll already under way. */
    public CompletableFuture<PollReport> pollNow(String name) {
        return find(name).map(d -> trigger(d, false))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalArgumentException("no SNMP device named '" + name + "'")));
    }

    /** The names of the configured devices, sorted. */
    public List<String> deviceNames() {
        return byPid.values().stream().map(d -> d.settings.name()).sorted().toList();
    }

    public Optional<DeviceHealth> health(String name) {
        return find(name).map(d -> d.health);
    }

    private Optional<PolledDevice> find(String name) {
        return byPid.values().stream().filter(d -> d.settings.name().equals(name)).findFirst();
    }

    private CompletableFuture<PollReport> trigger(PolledDevice device, boolean scheduled) {
        CompletableFuture<PollReport> running = device.inFlight.get();
        if (running != null && !running.isDone()) {
            if (scheduled) {
                device.health.skipped(); // the previous poll still runs: the interval is shorter than a poll
            }
            return running;
        }
        CompletableFuture<PollReport> next = new CompletableFuture<>();
        if (!device.inFlight.compareAndSet(running, next)) {
            return device.inFlight.get();
        }
        CompletableFuture<PollData> answers;
        try {
            answers = device.target(client, lookup, lookups)
                    .thenCompose(target -> poller.poll(target, device.settings, device.profiles, device.bulk));
        } catch (RuntimeException e) {
            answers = CompletableFuture.failedFuture(e);
        }
        answers.handleAsync((data, error) -> finish(device, data, error), worker)
                .whenComplete((report, error) -> {
                    if (error != null) { // the worker's queue was full, or a bug of ours
                        PollFailure f = error.getCause() instanceof java.util.concurrent.RejectedExecutionException
                                ? new PollFailure(ErrorReason.OVERLOAD, "poll result dropped: the agent's work queue is full")
                                : PollFailure.of(error);
                        if (f.reason() == ErrorReason.INTERNAL) {
                            LOG.error("Handling a poll of {} failed", device.settings.name(), error);
                        }
                        device.health.error(f);
                        next.complete(PollReport.failed(device.settings.name(), f.reason(), f.getMessage()));
                    } else {
                        next.complete(report);
                    }
                });
        return next;
    }

    /** On the worker: answers to events and health. */
    private PollReport finish(PolledDevice device, PollData data, Throwable error) {
        String name = device.settings.name();
        if (device.removed) {
            return PollReport.failed(name, null, "device removed during the poll");
        }
        long now = System.currentTimeMillis();
        if (error != null) {
            PollFailure f = PollFailure.of(error);
            DeviceHealth.State before = device.health.failed(now, f);
            stateChanged(device, before, now);
            return PollReport.failed(name, f.reason(), f.getMessage());
        }
        if (device.moved.getAndSet(false)) {
            // Another box may answer at the new address: no rate or reboot across the move.
            device.counters.forgetAll();
            device.uptime.forget();
        }
        PollInterpreter.Result result = interpreter.interpret(device.settings, device.profiles, device.counters, device.uptime, data);
        int dropped = 0;
        for (TelemetryEvent e : result.events()) {
            if (!publisher.publish(e)) {
                dropped++;
            }
        }
        device.health.events(result.events().size(), now);
        DeviceHealth.State before = device.health.answered(now, data.latencyNanos() / 1e6, result.problems(), result.missing(),
                result.rebooted(), result.wraps());
        if (dropped > 0) {
            device.health.error(new PollFailure(ErrorReason.OVERLOAD, "event queue full: " + dropped + " events of a poll dropped"));
        }
        if (result.rebooted()) {
            LOG.warn("SNMP device {} rebooted (sysUpTime went backwards): its counters start again, no rate this poll", name);
        }
        stateChanged(device, before, now);
        return new PollReport(name, result.events().size(), result.problems().stream().map(Throwable::getMessage).toList(),
                result.missing(), data.latencyNanos() / 1e9, null, null);
    }

    /** Logs a change of state once (not every failed poll) and reports it as an event. */
    private void stateChanged(PolledDevice device, DeviceHealth.State before, long nowMillis) {
        DeviceHealth.State now = device.health.state();
        if (now == before) {
            return;
        }
        String error = device.health.lastError();
        if (now == DeviceHealth.State.UP) {
            LOG.info("SNMP device {} is up", device.settings.name());
        } else {
            LOG.warn("SNMP device {} is {}: {}", device.settings.name(), now.label(), error);
        }
        TelemetryEvent.Builder b = events.start(device.settings.name(), nowMillis * 1_000_000L)
                .label("type", "state")
                .label("device", device.settings.name())
                .label("address", device.settings.address())
                .label("state", now.label())
                .label("previous_state", before.label());
        if (now != DeviceHealth.State.UP && error != null) {
            b.label("error", error);
        }
        publisher.publish(b.build());
    }

    /** A trap or inform accepted by the receiver: an event, and a sign of life of the device it came from. */
    public void notification(Notification n) {
        PolledDevice from = byPid.values().stream().filter(d -> n.source().equals(d.inetAddress())).findFirst().orElse(null);
        long now = System.currentTimeMillis();
        if (from != null) {
            from.health.heardFrom(now);
            from.health.events(1, now);
        }
        publisher.publish(TrapEvents.event(events, n, from == null ? null : from.settings.name()));
    }

    @Override
    public List<DeviceDTO> devices() {
        long now = System.currentTimeMillis();
        return byPid.values().stream().map(d -> d.health.toDto(now)).sorted(Comparator.comparing(d -> d.name)).toList();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        List<PrometheusWriter.Device> devices = new ArrayList<>();
        byPid.values().forEach(d -> devices.add(new PrometheusWriter.Device(d.settings.name(), d.health)));
        devices.sort(Comparator.comparing(PrometheusWriter.Device::name));
        PrometheusWriter.write(out, devices, publisher.emitted(), publisher.dropped());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException u) {
                return "localhost";
            }
        }
    }
}
