package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.counter.CounterTracker;
import io.amoskys.agent.snmp.counter.UptimeTracker;
import io.amoskys.agent.snmp.health.DeviceHealth;
import io.amoskys.agent.snmp.poll.SnmpClient;
import io.amoskys.agent.snmp.profile.Profile;
import io.amoskys.agent.snmp.profile.ProfileCatalog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.snmp4j.Target;
import org.snmp4j.smi.UdpAddress;

/** One configured device while it is polled: its settings, counter history, health and schedule. */
final class PolledDevice {
    final String pid;
    final DeviceSettings settings;
    final List<Profile> profiles;
    final DeviceHealth health;
    final CounterTracker counters;
    final UptimeTracker uptime = new UptimeTracker();
    /** Cleared when the device refuses GETBULK. */
    final AtomicBoolean bulk = new AtomicBoolean(true);
    /** The running poll, if any: polls of one device never overlap. */
    final AtomicReference<CompletableFuture<PollReport>> inFlight = new AtomicReference<>();
    volatile ScheduledFuture<?> schedule;
    volatile boolean removed;
    private volatile Target<UdpAddress> target;

    PolledDevice(String pid, DeviceSettings settings) {
        this.pid = pid;
        this.settings = settings;
        this.profiles = ProfileCatalog.profiles(settings.profiles());
        this.health = new DeviceHealth(settings.name(), settings.address());
        // Past three intervals (polls failed meanwhile) a Counter32 may have wrapped unseen.
        this.counters = new CounterTracker(3.0 * settings.pollInterval().toMillis() / 1000.0);
    }

    /** The request target, resolving the host name the first time (and again after a failure). */
    Target<UdpAddress> target(SnmpClient client) throws UnknownHostException {
        Target<UdpAddress> t = target;
        if (t == null) {
            t = client.target(settings, new UdpAddress(InetAddress.getByName(settings.host()), settings.port()));
            target = t;
        }
        return t;
    }

    /** The device's IP address once known, for telling which device a trap came from. */
    InetAddress inetAddress() {
        Target<UdpAddress> t = target;
        return t == null ? null : t.getAddress().getInetAddress();
    }
}
