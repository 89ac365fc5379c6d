package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.counter.CounterTracker;
import io.amoskys.agent.snmp.counter.UptimeTracker;
import io.amoskys.agent.snmp.health.DeviceHealth;
import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.poll.PollFailure;
import io.amoskys.agent.snmp.poll.SnmpClient;
import io.amoskys.agent.snmp.profile.Profile;
import io.amoskys.agent.snmp.profile.ProfileCatalog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.Target;
import org.snmp4j.smi.UdpAddress;

/** One configured device while it is polled: its settings, counter history, health and schedule. */
final class PolledDevice {
    private static final Logger LOG = LoggerFactory.getLogger(PolledDevice.class);

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
    /** Set when the host name came to resolve to another address: the next answer's counters start again. */
    final AtomicBoolean moved = new AtomicBoolean();
    volatile ScheduledFuture<?> schedule;
    volatile boolean removed;
    private final AtomicReference<Target<UdpAddress>> target = new AtomicReference<>();

    PolledDevice(String pid, DeviceSettings settings) {
        this.pid = pid;
        this.settings = settings;
        this.profiles = ProfileCatalog.profiles(settings.profiles());
        this.health = new DeviceHealth(settings.name(), settings.address());
        // Past three intervals (polls failed meanwhile) a Counter32 may have wrapped unseen.
        this.counters = new CounterTracker(3.0 * settings.pollInterval().toMillis() / 1000.0);
    }

    /**
     * The request target. An IP address is taken as it is; a host name is looked up before every
     * poll, on {@code lookups} and never on the caller's thread: a name server that does not answer
     * holds up this device's poll only, and a device that changed its address (DHCP, a replaced
     * box) is polled at the new one once the JVM's cache of the name expires. A name with several
     * addresses (round-robin) stays at the one it has while the name still has it.
     */
    CompletableFuture<Target<UdpAddress>> target(SnmpClient client, HostLookup lookup, Executor lookups) {
        String host = settings.host();
        if (isAddressLiteral(host)) {
            Target<UdpAddress> known = target.get();
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            try {
                return CompletableFuture.completedFuture(use(client, lookup.allByName(host)));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(cannotResolve(e));
            }
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return use(client, lookup.allByName(host));
                } catch (UnknownHostException e) {
                    throw cannotResolve(e);
                }
            }, lookups);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new PollFailure(ErrorReason.OVERLOAD,
                    "cannot look up host '" + host + "' now: the agent's host name lookups are backed up"));
        }
    }

    private Target<UdpAddress> use(SnmpClient client, InetAddress[] addresses) throws UnknownHostException {
        if (addresses.length == 0) {
            throw new UnknownHostException(settings.host() + ": no address");
        }
        Target<UdpAddress> known = target.get();
        if (known != null && List.of(addresses).contains(known.getAddress().getInetAddress())) {
            return known;
        }
        InetAddress address = addresses[0];
        Target<UdpAddress> next = client.target(settings, new UdpAddress(address, settings.port()));
        target.set(next);
        if (known != null) {
            moved.set(true);
            LOG.info("SNMP device {}: {} now resolves to {} (was {}); its counters start again", settings.name(),
                    settings.host(), address.getHostAddress(), known.getAddress().getInetAddress().getHostAddress());
        }
        return next;
    }

    private PollFailure cannotResolve(UnknownHostException e) {
        return new PollFailure(ErrorReason.SEND, "cannot resolve host '" + settings.host() + "'"
                + (e.getMessage() == null || e.getMessage().equals(settings.host()) ? "" : ": " + e.getMessage()));
    }

    /**
     * An IPv6 address, or an IPv4 one in dotted quads: what {@link InetAddress#getByName} takes (or
     * refuses) without asking a name server. Anything else, "300.1.1.1" too, goes to the lookups.
     */
    static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The device's IP address once known, for telling which device a trap came from. */
    InetAddress inetAddress() {
        Target<UdpAddress> t = target.get();
        return t == null ? null : t.getAddress().getInetAddress();
    }

    /** Resolves a host name to its addresses; the JVM's resolver, or a test's. */
    @FunctionalInterface
    interface HostLookup {
        InetAddress[] allByName(String host) throws UnknownHostException;
    }
}
