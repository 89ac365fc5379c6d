package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.health.DeviceHealth;
import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.support.Peers;
import io.amoskys.agent.snmp.support.Simulator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;

/**
 * Devices configured by host name, polled on a real snmpsim. The name server is the test's lookup,
 * which answers when and what the test says: a name server that does not answer holds up no other
 * device, and a name that comes to resolve to another address is polled there.
 */
class HostNameTest {
    private static Simulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(List.of(), List.of("counters.snmprec"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aNameServerThatDoesNotAnswerHoldsUpNoOtherDevice() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        SnmpAgent agent = new SnmpAgent(TestAgents.config(), host -> {
            if (!host.equals("slow.example")) {
                return InetAddress.getAllByName(host);
            }
            if (lookups.incrementAndGet() > 1) { // the first fails at once, the next hangs until the test ends it
                hanging.countDown();
                try {
                    answer.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new UnknownHostException("slow.example: Temporary failure in name resolution");
        });
        try {
            TestAgents.configure(agent, everySecond("fast", "127.0.0.1"));
            TestAgents.configure(agent, everySecond("slow", "slow.example"));
            assertTrue(hanging.await(30, TimeUnit.SECONDS), "the slow device's name was looked up again after it failed");

            DeviceHealth fast = agent.health("fast").orElseThrow();
            long before = fast.polls();
            await(() -> fast.polls() >= before + 3, Duration.ofSeconds(15),
                    () -> "the device at an IP address was polled " + (fast.polls() - before) + " times while the other's lookup hung");
            assertEquals(DeviceHealth.State.UP, fast.state(), fast.lastError());
            DeviceHealth slow = agent.health("slow").orElseThrow();
            assertEquals(1, slow.polls(), "the hanging lookup's poll is still under way: " + slow.lastError());
            await(() -> slow.skippedPolls() >= 2, Duration.ofSeconds(5),
                    () -> "its scheduled polls are skipped meanwhile, not queued: " + slow.skippedPolls());

            answer.countDown();
            await(() -> slow.polls() >= 2, Duration.ofSeconds(15), () -> "the slow device's poll ended once its lookup failed");
            assertEquals(java.util.Set.of(ErrorReason.SEND), slow.errorsByReason().keySet(), "each failed lookup is a counted send error");
            assertEquals("cannot resolve host 'slow.example': slow.example: Temporary failure in name resolution", slow.lastError());
        } finally {
            answer.countDown();
            TestAgents.close(agent);
        }
    }

    @Test
    void aNameThatComesToResolveElsewhereIsPolledThere() throws Exception {
        AtomicReference<InetAddress> address = new AtomicReference<>(InetAddress.getByName("127.0.0.3")); // nothing listens there
        SnmpAgent agent = new SnmpAgent(TestAgents.config(),
                host -> host.equals("moving.example") ? new InetAddress[] {address.get()} : InetAddress.getAllByName(host));
        try {
            Map<String, Object> p = TestAgents.v2c("moving", simulator.port(0), "counters", "system");
            p.put("address", "moving.example");
            p.put("timeoutMillis", "300");
            p.put("retries", "0");
            TestAgents.configure(agent, p);
            PollReport away = agent.pollNow("moving").get(30, TimeUnit.SECONDS);
            assertFalse(away.answered(), "nothing answers at 127.0.0.3: " + away);

            address.set(InetAddress.getByName("127.0.0.1"));
            PollReport moved = agent.pollNow("moving").get(30, TimeUnit.SECONDS);
            assertTrue(moved.answered(), "polled at the address the name has now: " + moved);
            assertEquals(0, agent.health("moving").orElseThrow().reboots(), "a move is no reboot");
        } finally {
            TestAgents.close(agent);
        }
    }

    /**
     * The name gets a second address first (round-robin: the device stays where it is polled), then
     * moves from a device at 127.0.0.1 to another at 127.0.0.2 (two snmpsim on the same port),
     * whose sysUpTime is lower: without starting its history again that reads as a reboot.
     */
    @Test
    void aMoveStartsTheDevicesHistoryAgain() throws Exception {
        int port = Peers.freeUdpPort();
        AtomicReference<InetAddress[]> addresses = new AtomicReference<>(new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        SnmpAgent agent = new SnmpAgent(TestAgents.config(),
                host -> host.equals("moved.example") ? addresses.get() : InetAddress.getAllByName(host));
        try (Simulator here = Simulator.startAt(List.of("counters.snmprec"), "127.0.0.1", port);
             Simulator there = Simulator.startAt(List.of("counters.snmprec"), "127.0.0.2", port)) {
            there.set("counters", new OID("1.3.6.1.2.1.1.3.0"), new TimeTicks(50)); // booted half a second ago; here 1,000 s ago
            Map<String, Object> p = TestAgents.v2c("moved", port, "counters", "system");
            p.put("address", "moved.example");
            TestAgents.configure(agent, p);
            assertTrue(agent.pollNow("moved").get(30, TimeUnit.SECONDS).answered());

            // Nothing answers at 127.0.0.3: polled there, the device would time out.
            addresses.set(new InetAddress[] {InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.1")});
            PollReport stayed = agent.pollNow("moved").get(30, TimeUnit.SECONDS);
            assertTrue(stayed.answered(), "still polled at 127.0.0.1, which the name still has: " + stayed);

            addresses.set(new InetAddress[] {InetAddress.getByName("127.0.0.2")});
            PollReport moved = agent.pollNow("moved").get(30, TimeUnit.SECONDS);
            assertTrue(moved.answered(), moved.toString());
            assertEquals(0, agent.health("moved").orElseThrow().reboots(), "another box at the new address, not a reboot");
            assertEquals(3, agent.health("moved").orElseThrow().polls());
        } finally {
            TestAgents.close(agent);
        }
    }

    @Test
    void onlyDottedQuadsAndIpv6AddressesSkipTheLookups() {
        assertTrue(PolledDevice.isAddressLiteral("192.0.2.1"));
        assertTrue(PolledDevice.isAddressLiteral("::1"));
        assertTrue(PolledDevice.isAddressLiteral("fe80::1%eth0"));
        assertFalse(PolledDevice.isAddressLiteral("300.1.1.1"), "not an address: the JVM would ask a name server");
        assertFalse(PolledDevice.isAddressLiteral("10.1.1"));
        assertFalse(PolledDevice.isAddressLiteral("1.2.3.4."));
        assertFalse(PolledDevice.isAddressLiteral("switch-1.example"));
        assertFalse(PolledDevice.isAddressLiteral("1234"));
    }

    private static Map<String, Object> everySecond(String name, String address) {
        Map<String, Object> p = TestAgents.v2c(name, simulator.port(0), "counters", "system");
        p.put("address", address);
        p.put("pollIntervalSeconds", "1");
        return p;
    }

    /** Checks the condition every 50 ms until it holds; fails with the message when the time is up. */
    private static void await(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, message.get());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
