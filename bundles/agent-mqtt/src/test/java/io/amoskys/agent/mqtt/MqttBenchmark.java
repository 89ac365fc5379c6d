package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.mqtt.ConnectionState.Phase;
import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.event.TelemetryEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT messages per second that one agent subscription sustains from a real mosquitto, QoS 1,
 * with the CPU the test JVM (agent, Paho, decoding) spent on it. Opt-in:
 * <pre>mvn -o test -pl bundles/agent-mqtt -Dtest=MqttBenchmark -Damoskys.benchmark=true [-Damoskys.benchmark.messages=200000]</pre>
 *
 * <p>"drain": the messages wait in the broker for the agent's persistent session and are then
 * taken as fast as the agent can, so the publisher's speed does not count. "live": mosquitto_pub
 * publishes while the agent takes them, as in production; the slower of the two sets the pace.
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class MqttBenchmark {
    private static final int MESSAGES = Integer.getInteger("amoskys.benchmark.messages", 100_000);
    private static final Duration WAIT = Duration.ofSeconds(Integer.getInteger("amoskys.benchmark.waitSeconds", 300));

    @TempDir
    Path dir;

    /** Counts events; keeps none, so that memory does not grow with the run. */
    private static final class CountingSink implements EventSink {
        final AtomicLong count = new AtomicLong();
        volatile CountDownLatch done = new CountDownLatch(1);
        volatile long target;

        @Override
        public void accept(TelemetryEvent event) {
            if (count.incrementAndGet() == target) {
                done.countDown();
            }
        }

        void expect(long more) {
            done = new CountDownLatch(1);
            target = count.get() + more;
        }
    }

    @Test
    void messagesPerSecond() throws Exception {
        Mosquitto.assumeInstalled();
        Mosquitto broker = Mosquitto.start(dir);
        try {
            MqttAgent agent = new MqttAgent("mqtt@bench");
            CountingSink sink = new CountingSink();
            Agent.Subscription subscription = agent.subscribe(sink);
            BrokerSession session = agent.open(SubscriptionSettings.builder("bench", broker.url()).topics("bench/#").build());
            assertTrue(session.awaitConnection(c -> c.phase() == Phase.RECEIVING, WAIT));

            List<String> json = IntStream.range(0, MESSAGES)
                    .mapToObj(i -> "{\"value\":" + (20 + i % 100 / 10.0) + ",\"unit\":\"Cel\"}").toList();
            List<String> senml = IntStream.range(0, MESSAGES)
                    .mapToObj(i -> "[{\"bn\":\"urn:dev:mac:00aa" + (i % 50) + ":\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":"
                            + (20 + i % 100 / 10.0) + "},{\"n\":\"hum\",\"u\":\"%RH\",\"v\":40}]").toList();

            live(broker, sink, "bench/warmup", json); // JIT warm-up, not reported
            report("live  JSON  ", live(broker, sink, "bench/json", json), MESSAGES);

            subscription.close();
            assertTrue(session.awaitConnection(c -> c.phase() == Phase.IDLE, WAIT));
            broker.publishLines("bench/json", json);
            report("drain JSON  ", drain(agent, sink, MESSAGES), MESSAGES);

            assertTrue(session.awaitConnection(c -> c.phase() == Phase.IDLE, WAIT));
            broker.publishLines("bench/senml", senml);
            report("drain SenML ", drain(agent, sink, 2L * MESSAGES), MESSAGES);
            assertEquals(3L * MESSAGES + 2L * MESSAGES, session.stats().readings(), "warm-up, live and drain JSON, drain SenML");
            assertEquals(0, session.stats().errors(io.amoskys.agent.mqtt.payload.ErrorReason.MALFORMED));
            agent.deactivate();
        } catch (AssertionError e) {
            System.out.println("broker log: " + String.join("\n", broker.log()));
            throw e;
        } finally {
            broker.stop();
        }
    }

    private static Run live(Mosquitto broker, CountingSink sink, String topic, List<String> lines) throws Exception {
        sink.expect(lines.size());
        Run run = Run.start();
        broker.publishLines(topic, lines);
        assertTrue(sink.done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "not all messages arrived");
        return run.stop();
    }

    /** Subscribes (the session connects and the broker hands over its queue), waits, unsubscribes. */
    private static Run drain(MqttAgent agent, CountingSink sink, long events) throws Exception {
        sink.expect(events);
        Run run = Run.start();
        Agent.Subscription subscription = agent.subscribe(sink);
        assertTrue(sink.done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "not all queued messages arrived");
        Run done = run.stop();
        subscription.close();
        return done;
    }

    private static void report(String what, Run run, int messages) {
        System.out.printf("MQTT %s QoS 1: %,d messages in %.2f s = %,.0f msg/s; test JVM CPU %.2f s (%.1f us/message)%n",
                what, messages, run.seconds, messages / run.seconds, run.cpuSeconds, run.cpuSeconds * 1e6 / messages);
    }

    private record Run(long startNanos, long startCpuNanos, double seconds, double cpuSeconds) {
        static Run start() {
            return new Run(System.nanoTime(), cpuNanos(), 0, 0);
        }

        Run stop() {
            return new Run(startNanos, startCpuNanos, (System.nanoTime() - startNanos) / 1e9, (cpuNanos() - startCpuNanos) / 1e9);
        }

        private static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }
}
