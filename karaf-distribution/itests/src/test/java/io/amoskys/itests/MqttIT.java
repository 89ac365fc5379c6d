package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MQTT agent in the distribution against a real mosquitto: a subscription configured by a
 * file in etc/, JSON and SenML readings published with mosquitto_pub arriving as iot events on the
 * bus, a bad payload counted while good ones go on, and the broker's health in amoskys:devices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttIT {
    private KarafInstance karaf;
    private Process broker;
    private int port;

    @BeforeAll
    void boot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
                "mosquitto and mosquitto_pub are needed: apt-get install -y mosquitto mosquitto-clients (.ci/test does)");
        port = Ports.free();
        Path work = Files.createTempDirectory("amoskys-mosquitto");
        Path config = work.resolve("mosquitto.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-v", "-c", config.toString()).redirectErrorStream(true).start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.contains("Opening ipv4 listen socket on port " + port)) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // the broker ended
            }
        }, "mosquitto-output");
        reader.setDaemon(true);
        reader.start();
        assertTrue(listening.await(30, TimeUnit.SECONDS), "mosquitto listens on " + port);

        karaf = KarafInstance.unpack("mqtt");
        Files.writeString(karaf.home.resolve("etc/io.amoskys.agent.mqtt-greenhouse.cfg"),
                "brokerUrl = tcp://127.0.0.1:" + port + "\ntopics = greenhouse/#\nmaxPayloadBytes = 4096\n");
        karaf.start();
        karaf.awaitAllActive();
        Files.writeString(karaf.routes().resolve("iot-watch.yaml"), """
                - route:
                    id: iot-watch
                    from:
                      uri: "amoskys:bus/iot-watch?kinds=iot"
                      steps:
                        - to: "log:io.amoskys.itests.iot?showAll=false&showBody=true&showBodyType=false&showExchangePattern=false"
                """);
        Eventually.await("the agent's subscription to be connected", Duration.ofSeconds(60), () -> karaf.httpGet("/metrics"),
                m -> m.contains("amoskys_mqtt_connected{subscription=\"greenhouse\"} 1"));
    }

    @AfterAll
    void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void publish(String topic, String payload) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", topic, "-m", payload).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    @Order(1)
    void jsonAndSenmlReadingsPublishedWithMosquittoPubArriveAsIotEventsOnTheBus() throws Exception {
        publish("greenhouse/north/telemetry", "{\"sensor\":\"north-1\",\"value\":21.5,\"unit\":\"°C\"}");
        publish("greenhouse/senml", "[{\"bn\":\"south-2/\",\"bu\":\"%RH\"},{\"n\":\"humidity\",\"v\":48.5}]");
        Eventually.await("both readings as events through the bus", Duration.ofSeconds(60), karaf::log,
                l -> Pattern.compile("TelemetryEvent\\[mqtt@\\S+ iot north-1 \\{[^}]*unit=Cel").matcher(l).find()
                        && Pattern.compile("TelemetryEvent\\[mqtt@\\S+ iot south-2/humidity \\{[^}]*unit=%RH").matcher(l).find());
        String bus = karaf.client("amoskys:bus");
        assertTrue(bus.lines().anyMatch(l -> l.startsWith("agent mqtt@")), bus);
    }

    @Test
    @Order(2)
    void aBadPayloadIsACountedErrorAndTheAgentGoesOn() throws Exception {
        publish("greenhouse/east/telemetry", "this is not json");
        publish("greenhouse/east/telemetry", "x".repeat(5000));
        publish("greenhouse/east/telemetry", "{\"sensor\":\"east-3\",\"value\":19.0,\"unit\":\"Cel\"}");
        Eventually.await("the good reading after the bad ones", Duration.ofSeconds(60), karaf::log,
                l -> l.contains(" iot east-3 "));
        String metrics = karaf.httpGet("/metrics");
        for (String reason : List.of("malformed", "oversized")) {
            Matcher m = Pattern.compile("(?m)^amoskys_mqtt_errors_total\\{subscription=\"greenhouse\",reason=\"" + reason + "\"} (\\d+)")
                    .matcher(metrics);
            assertTrue(m.find() && Long.parseLong(m.group(1)) >= 1, reason + " counted: " + metrics);
        }
        String devices = karaf.client("amoskys:devices --no-format");
        assertTrue(devices.lines().anyMatch(l -> l.startsWith("mqtt") && l.contains("broker:greenhouse") && l.contains("up")), devices);
        assertTrue(devices.lines().anyMatch(l -> l.startsWith("mqtt") && l.contains("north-1")), devices);
    }
}
