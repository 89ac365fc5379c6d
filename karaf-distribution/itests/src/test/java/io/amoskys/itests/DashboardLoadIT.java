package io.amoskys.itests;

import static io.amoskys.itests.Commands.run;
import static io.amoskys.itests.Commands.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.alerts.internal.DerbyAlertStore;
import io.amoskys.alerts.internal.StoreSettings;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard stays responsive with a loaded store: 10,000 alerts over 1,000 entities, written
 * by the platform's own alert store into the distribution's database before it starts; then
 * Debian's chromium (src/test/browser/dashboard-load.js) logs in, waits for live updates and opens
 * the alert list and an alert, timing each. The figures go to docs/PERFORMANCE.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLoadIT {
    static final int ENTITIES = 1000;
    static final int RULES = 10;
    private static final Severity[] SEVERITIES = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM};

    private static final String LIVE = "/amoskys/api/v1/live";
    private static final String NFT_TABLE = "amoskys_it_live";

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("dashboard-load");
        assertEquals(ENTITIES * RULES, fill(karaf.home.resolve("data/amoskys/alerts")), "every alert stored as new");
        karaf.start();
        karaf.awaitAllActive();
        karaf.addUsers("ops secret-ops operator", "lena secret-lena viewer");
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    /** Admits RULES alerts for each of ENTITIES hosts from four callers (the store shares its commits); returns how many were new. */
    private static long fill(Path dir) throws Exception {
        DerbyAlertStore store = new DerbyAlertStore(dir, StoreSettings.defaults(), Clock.systemUTC());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            long now = System.currentTimeMillis() * 1_000_000L;
            List<Future<Boolean>> admitted = new ArrayList<>();
            for (int e = 0; e < ENTITIES; e++) {
                String host = "host:10.1." + e / 256 + "." + e % 256;
                for (int r = 0; r < RULES; r++) {
                    Alert alert = Alert.builder().id(UUID.randomUUID().toString()).rule("load-rule-" + r).entityId(host)
                            .timestampNanos(now - (long) (e * RULES + r) * 1_000_000L).severity(SEVERITIES[(e + r) % SEVERITIES.length])
                            .title("load rule " + r + " on " + host).tags(List.of("attack.t1046")).eventIds(List.of("load:" + e + "-" + r))
                            .build();
                    admitted.add(callers.submit(() -> store.admit(alert).outcome() == Admission.Outcome.NEW));
                }
            }
            long fresh = 0;
            for (Future<Boolean> f : admitted) {
                fresh += f.get(120, TimeUnit.SECONDS) ? 1 : 0;
            }
            return fresh;
        } finally {
            callers.shutdown();
            store.close();
        }
    }

    @Test
    void theDashboardStaysResponsiveWithTenThousandAlertsOverAThousandEntities() throws Exception {
        String transcript = BrowserScript.run(karaf, "dashboard-load.js", "screenshots/load",
                Map.of("OPERATOR", "ops:secret-ops"), line -> { }).transcript();
        // What the page showed was the loaded store: all 10,000 open and the entities ranked.
        // (The process route may have raised a few of its own since the start.)
        Matcher open = Pattern.compile("(?m)^OPEN_ALERTS (\\d+)$").matcher(transcript);
        assertTrue(open.find() && Long.parseLong(open.group(1)) >= ENTITIES * RULES, transcript);
        Matcher total = Pattern.compile("(?m)^LISTED (\\d+)$").matcher(transcript);
        assertTrue(total.find() && Long.parseLong(total.group(1)) >= ENTITIES * RULES, transcript);
    }

    /**
     * A live page that stops reading holds up no other page. The stalled page's connection stops
     * taking data the way a laptop put to sleep does: nft drops every packet the platform sends to
     * it, so the platform's socket buffer fills with data never acknowledged, and a blocking write
     * to it would wait for Jetty's idle timeout. Its segments are clamped to 536 bytes (the TCP
     * minimum) so that this buffer is as small as on a real network: over loopback's 64 KB segments
     * the kernel would give it megabytes. Another page meanwhile gets an update a second.
     */
    @Test
    void aLivePageThatStopsReadingHoldsUpNoOther() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "nftables needs root");
        String auth = "Basic " + Base64.getEncoder().encodeToString("ops:secret-ops".getBytes(StandardCharsets.UTF_8));
        String http = Integer.toString(karaf.httpPort);
        try (Socket stalled = new Socket()) {
            stalled.bind(new InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(stalled.getLocalPort());
            run(List.of("nft", "delete", "table", "inet", NFT_TABLE)); // left by a run that was killed, if any
            sh("nft", "add", "table", "inet", NFT_TABLE);
            try {
                sh("nft", "add", "chain", "inet", NFT_TABLE, "out", "{ type filter hook output priority -150; policy accept; }");
                sh("nft", "add", "rule", "inet", NFT_TABLE, "out", "tcp", "sport", port, "tcp", "dport", http, "tcp", "flags", "syn",
                        "tcp", "option", "maxseg", "size", "set", "536");
                stalled.connect(new InetSocketAddress("127.0.0.1", karaf.httpPort), 10_000);
                stalled.setSoTimeout(30_000);
                stalled.getOutputStream().write(("GET " + LIVE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                for (String line = in.readLine(); !"event: status".equals(line); line = in.readLine()) {
                    assertNotNull(line, "the stalled page's stream ended before its first update");
                }
                sh("nft", "add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; policy accept; }");
                sh("nft", "add", "rule", "inet", NFT_TABLE, "in", "tcp", "sport", http, "tcp", "dport", port, "drop");
                List<Long> updates = liveUpdates(auth, 30);
                long longestGapMillis = 0;
                for (int i = 1; i < updates.size(); i++) {
                    longestGapMillis = Math.max(longestGapMillis, (updates.get(i) - updates.get(i - 1)) / 1_000_000);
                }
                assertTrue(longestGapMillis < 4_000, "another page went " + longestGapMillis + " ms without an update");
                // The platform had data for the stalled page that it could not send: what a blocking write waits on.
                String queued = sh("ss", "-tnH", "state", "established", "sport", "=", ":" + http, "and", "dport", "=", ":" + port);
                String[] columns = queued.strip().split("\\s+");
                assertTrue(columns.length >= 2 && Long.parseLong(columns[1]) > 0, "nothing waits to be sent to the stalled page: " + queued);
            } finally {
                run(List.of("nft", "delete", "table", "inet", NFT_TABLE));
            }
        }
    }

    /**
     * Pages opened at once are counted as they are let in: one user gets eight live streams, the
     * others a 503 that says why; a closed page makes room again.
     */
    @Test
    void oneUserHasAtMostEightLivePagesEvenWhenTheyOpenAtOnce() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + karaf.httpPort + LIVE))
                .header("Authorization", KarafInstance.basic("lena", "secret-lena")).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<java.io.InputStream>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<HttpResponse<java.io.InputStream>> answers = new ArrayList<>();
        try {
            for (var answer : sent) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertEquals(8, answers.stream().filter(a -> a.statusCode() == 200).count(), "streams let in");
            for (var refused : answers.stream().filter(a -> a.statusCode() != 200).toList()) {
                assertEquals(503, refused.statusCode());
                String why = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(why.contains("lena has 8 live pages open already"), why);
            }
        } finally {
            for (var answer : answers) {
                answer.body().close();
            }
        }
        // A page that went away is noticed at its next update, and its place is free again.
        Eventually.await("a live page once the others closed", java.time.Duration.ofSeconds(30), () -> openAndClose(client, request),
                status -> status == 200);
    }

    private static int openAndClose(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<java.io.InputStream> answer = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            answer.body().close();
            return answer.statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** When each of the next {@code count} updates of a live page arrived, System.nanoTime. */
    private List<Long> liveUpdates(String auth, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + karaf.httpPort + LIVE))
                .header("Authorization", auth).build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Stream<String> lines = response.body()) {
            Future<List<Long>> arrivals = reader.submit(() -> lines.filter("event: status"::equals).limit(count)
                    .map(line -> System.nanoTime()).toList());
            return arrivals.get(count + 60L, TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
    }
}
