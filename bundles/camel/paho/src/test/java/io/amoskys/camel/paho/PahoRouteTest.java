package io.amoskys.camel.paho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component as this module packs it, in routes against a real mosquitto: found by the
 * scheme 'paho' through the service file the bundle keeps, it consumes what mosquitto_pub
 * publishes and publishes what a route sends.
 */
class PahoRouteTest {
    @TempDir
    Path dir;

    private Process broker;
    private CamelContext camel;

    @AfterEach
    void stop() throws InterruptedException {
        if (camel != null) {
            camel.stop();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void routesConsumeAndPublishThroughMosquitto() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
                "mosquitto or mosquitto-clients is not installed (apt-get install -y mosquitto mosquitto-clients):"
                        + " skipping the route test against a real broker");
        int port = startBroker();
        String broker = "brokerUrl=tcp://127.0.0.1:" + port + "&qos=1";
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("paho:amoskys/in?clientId=route-in&" + broker)
                        .process(e -> received.add("in:" + e.getMessage().getBody(String.class)));
                from("paho:amoskys/out?clientId=route-out&" + broker)
                        .process(e -> received.add("out:" + e.getMessage().getBody(String.class)));
            }
        });
        camel.start();

        publish(port, "amoskys/in", "{\"value\":21.5}");
        assertEquals("in:{\"value\":21.5}", next(received));
        camel.createProducerTemplate().sendBody("paho:amoskys/out?clientId=route-send&" + broker, "alert");
        assertEquals("out:alert", next(received));
    }

    private static String next(BlockingQueue<String> queue) throws InterruptedException {
        String value = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(value, "nothing arrived within 30 s");
        return value;
    }

    private int startBroker() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = Files.write(dir.resolve("mosquitto.conf"), List.of("listener " + port + " 127.0.0.1",
                "allow_anonymous true", "user " + System.getProperty("user.name"), "log_dest stderr"));
        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-c", config.toString()).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Process started = broker;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.contains(" running")) {
                        running.complete(null);
                    }
                }
            } catch (IOException e) {
                // the broker went away
            }
            running.completeExceptionally(new IllegalStateException("mosquitto exited before it listened"));
        });
        reader.setDaemon(true);
        reader.start();
        running.get(20, TimeUnit.SECONDS); // on failure, stop() in @AfterEach ends the process
        return port;
    }

    private static void publish(int port, String topic, String payload) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", topic, "-m", payload).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }
}
