package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Models in the real distribution: the shipped, build-signed Isolation Forest and gradient-boosted
 * trees classifier are active at boot and score the live flow route side by side (a multicast to
 * both detectors); amoskys:train makes a signed Isolation Forest from the benign captures and
 * hot-deploys it as the next patch version, which runs in shadow, is compared, promoted and rolled
 * back without losing a message; a tampered model bundle is refused with its reason while the
 * active one keeps scoring.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsIT {
    private static final String ROUTE = "amoskys:bus/models?kinds=flow";

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("models");
        karaf.start();
        karaf.awaitAllActive();
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    private static String data() {
        return Path.of(System.getProperty("amoskys.pcapData")).toAbsolutePath().normalize().toString();
    }

    /** name version → state, from amoskys:models. */
    private Map<String, String> models() {
        Map<String, String> states = new TreeMap<>();
        for (String line : karaf.client("amoskys:models --no-format").lines().toList()) {
            String[] cells = line.split("\t");
            if (cells.length >= 3 && !cells[0].strip().equals("Name")) {
                states.put(cells[0].strip() + " " + cells[1].strip(), cells[2].strip());
            }
        }
        return states;
    }

    private long rows(String version) {
        return rows("iforest", version);
    }

    private long rows(String model, String version) {
        Matcher m = Pattern.compile("(?m)^amoskys_model_rows_total\\{model=\"" + Pattern.quote(model) + "\",version=\""
                + Pattern.quote(version) + "\"} (\\d+)").matcher(karaf.httpGet("/metrics"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private long replay(String capture) {
        String out = karaf.client("amoskys:replay " + Path.of(data(), capture));
        Matcher m = Pattern.compile("(\\d+) packets, (\\d+) flows, ").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(2));
    }

    @Test
    @Order(1)
    void theShippedModelsAreActiveAtBootSignedByTheBuildKey() throws IOException {
        Eventually.await("the shipped iforest 1.0.0 and gbt 1.0.0 active", Duration.ofSeconds(60), this::models,
                m -> "active".equals(m.get("iforest 1.0.0")) && "active".equals(m.get("gbt 1.0.0")));
        Path trust = karaf.home.resolve("etc/amoskys/models/trust");
        List<Path> files;
        try (Stream<Path> list = Files.list(trust)) {
            files = list.filter(f -> f.getFileName().toString().matches("[0-9a-f]{16}\\.properties")).toList();
        }
        assertEquals(1, files.size(), "one trust file, the build's model key: " + files);
        assertTrue(Files.readString(files.get(0)).contains("publicKey="), files.get(0).toString());
        try (Stream<Path> all = Files.walk(karaf.home)) {
            assertTrue(all.noneMatch(f -> f.getFileName().toString().equals("model-signing.key")
                    || f.getFileName().toString().contains("xgboost")), "no private build key and no xgboost in the distribution");
        }
    }

    @Test
    @Order(2)
    void theLiveRouteScoresAReplayedAttackWithBothShippedModels() throws IOException {
        // A detector step replaces the body with its Score: a multicast gives each detector its own copy of the vector.
        Files.writeString(karaf.routes().resolve("models.yaml"), """
                - route:
                    id: models
                    from:
                      uri: "%s"
                      steps:
                        - to: amoskys:stage/canonical
                        - to: amoskys:stage/temporal
                        - to: amoskys:stage/cross
                        - to: amoskys:stage/domain
                        - to: amoskys:stage/anomaly
                        - multicast:
                            steps:
                              - to: amoskys:detector/iforest
                              - to: amoskys:detector/gbt
                """.formatted(ROUTE));
        Eventually.await("the models route loaded", Duration.ofSeconds(30), () -> karaf.client("amoskys:routes --no-format"),
                routes -> routes.lines().anyMatch(l -> l.matches("models\\.yaml\\s*\\tLOADED\\s*\\tmodels\\s*\\t.*")));
        long flows = replay("evilfingers_nmap_TCP_SYN_SCAN.pcap");
        Eventually.await("both models to score every flow", Duration.ofSeconds(60),
                () -> Math.min(rows("iforest", "1.0.0"), rows("gbt", "1.0.0")), n -> n >= flows);
        Status status = karaf.status();
        assertEquals(0, status.routes().get("models").failed());
        String metrics = karaf.httpGet("/metrics");
        assertTrue(metrics.contains("amoskys_model_score_bucket{model=\"iforest\",version=\"1.0.0\""), "iforest score histogram");
        assertTrue(metrics.contains("amoskys_model_score_bucket{model=\"gbt\",version=\"1.0.0\""), "gbt score histogram");
        // The tree models passed the runtime's check of its Java trees against ONNX Runtime in the container; the
        // sequence models are not tree graphs.
        assertTrue(metrics.contains("amoskys_model_java_tree_rows{model=\"iforest\",version=\"1.0.0\"} 1024\n"), "iforest in Java");
        assertTrue(metrics.contains("amoskys_model_java_tree_rows{model=\"gbt\",version=\"1.0.0\"} 1024\n"), "gbt in Java");
        assertTrue(metrics.contains("amoskys_model_java_tree_rows{model=\"lstm\",version=\"1.0.0\"} 0\n"), "lstm through ONNX Runtime");
    }

    @Test
    @Order(3)
    void aRetrainedVersionRunsInShadowIsComparedPromotedAndRolledBack() {
        // No --version: the next patch above the shipped 1.0.0.
        String out = karaf.client("amoskys:train --from " + data() + " --seed 2 iforest");
        assertTrue(out.contains("model iforest 1.0.1: ") && out.contains("signed by key"), out);
        assertTrue(out.contains("deploy/iforest-1.0.1.jar"), out);
        Eventually.await("iforest 1.0.1 in shadow", Duration.ofSeconds(60), this::models, m -> "shadow".equals(m.get("iforest 1.0.1")));
        assertEquals("active", models().get("iforest 1.0.0"), "the shipped version stays active");
        long activeBefore = rows("1.0.0");
        long flows = replay("evilfingers_nmap_UDP_SCAN.pcap");
        Eventually.await("both versions to score the replay", Duration.ofSeconds(60), () -> rows("1.0.1"), n -> n >= flows);
        assertTrue(rows("1.0.0") >= activeBefore + flows, "the active version scored every flow too");
        String compare = karaf.client("amoskys:models compare iforest");
        assertTrue(compare.contains("1.0.1") && compare.contains("1.0.0"), compare);

        String promoted = karaf.client("amoskys:models promote iforest 1.0.1");
        assertEquals("active", models().get("iforest 1.0.1"), promoted);
        assertEquals("standby", models().get("iforest 1.0.0"));
        String rolledBack = karaf.client("amoskys:models rollback iforest");
        assertEquals("active", models().get("iforest 1.0.0"), rolledBack);
        assertEquals("active", models().get("gbt 1.0.0"), "the other model is untouched");
        assertEquals(0, karaf.status().routes().get("models").failed(), "no message failed across the switches");
    }

    @Test
    @Order(4)
    void aTamperedModelIsRefusedWithItsReasonAndTheActiveOneKeepsScoring() throws IOException {
        Path deploy = karaf.deploy();
        Path original = deploy.resolve("iforest-1.0.1.jar");
        assertTrue(Files.exists(original), "the trained bundle is in " + deploy);
        // A new version number in the descriptor (and the manifest, so Karaf takes it as another bundle), the old signature.
        byte[] tampered = rewrite(Files.readAllBytes(original), "1.0.1", "1.0.7");
        Path staging = karaf.routes().getParent().resolve("iforest-1.0.7.jar.tmp");
        Files.write(staging, tampered);
        Files.move(staging, deploy.resolve("iforest-1.0.7.jar"));
        Eventually.await("the tampered version refused", Duration.ofSeconds(60), this::models,
                m -> m.getOrDefault("iforest 1.0.7", "").startsWith("refused: bad-signature"));
        assertTrue(karaf.httpGet("/metrics").contains("amoskys_model_refused_total{reason=\"bad-signature\"} 1"), "counted");
        long before = rows("1.0.0");
        long flows = replay("ppa_portscan.pcap");
        Eventually.await("the active version still scoring", Duration.ofSeconds(60), () -> rows("1.0.0"), n -> n >= before + flows);
    }

    @Test
    @Order(5)
    void anEvaluationOverTheLabelledCapturesReportsRocAucAndWritesJson() throws IOException {
        Path json = karaf.deploy().getParent().resolve("evaluation.json");
        String report = karaf.client("amoskys:evaluate --on " + data() + " --json " + json + " iforest");
        Matcher auc = Pattern.compile("ROC AUC, attack against benign vectors: (0\\.\\d{4}) \\((\\d+) attack, (\\d+) benign").matcher(report);
        assertTrue(auc.find(), report);
        assertTrue(Double.parseDouble(auc.group(1)) > 0.8, "the model ranks attack flows above benign ones: " + auc.group(1));
        assertTrue(Long.parseLong(auc.group(2)) > 7000 && Long.parseLong(auc.group(3)) > 50, report);
        assertTrue(report.contains("esnet_masscan_tcp_0_1000.pcap"), "per-capture detection: " + report);
        // The shipped model's threshold (contamination 0.1) flags most attack flows (83.6 % in DefaultModelRecipeTest).
        Matcher recall = Pattern.compile("recall (0\\.\\d+) \\((\\d+) of (\\d+) attack vectors flagged\\)").matcher(report);
        assertTrue(recall.find(), report);
        assertTrue(Double.parseDouble(recall.group(1)) > 0.7, "recall at the shipped threshold: " + recall.group(1));
        String written = Files.readString(json);
        assertTrue(written.contains("\"auc\"") && written.contains("\"categories\""), written);
    }

    /** The jar with {@code from} replaced by {@code to} in its manifest and its descriptor; the signature is left as it was. */
    private static byte[] rewrite(byte[] jar, String from, String to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", to);
            try (JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    byte[] bytes = readAll(in);
                    if (entry.getName().endsWith(".json")) {
                        bytes = new String(bytes, StandardCharsets.UTF_8).replace("\"" + from + "\"", "\"" + to + "\"")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    copy.write(bytes);
                    copy.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
