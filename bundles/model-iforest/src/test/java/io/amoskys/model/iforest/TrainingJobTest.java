package io.amoskys.model.iforest;

import io.amoskys.feature.export.ListLog;
import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.model.format.Calibration;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.format.SignatureVerdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** amoskys:train iforest without the shell: sources, versions, the signed bundle it writes. */
class TrainingJobTest {
    private static ModelSigner signer;

    @TempDir
    Path deploy;

    private final List<String> said = new ArrayList<>();

    @BeforeAll
    static void makeAKey() throws Exception {
        signer = ModelSignature.signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    private TrainingJob job(ListLog log) {
        return new TrainingJob(Stages.exports(), Stages.flowAgent(), log, IsolationForestParameters.DEFAULTS, "flow",
                TrainingSet.DEFAULT_MAX_ROWS, said::add);
    }

    @Test
    void aFolderOfCapturesBecomesASignedModelBundleWhoseModelRuns() throws Exception {
        Path bundle = job(null).run(Stages.CAPTURES.toString(), null, "iforest", null, deploy, signer, null);
        assertEquals(deploy.resolve("iforest-1.0.0.jar"), bundle);
        try (JarFile jar = new JarFile(bundle.toFile())) {
            String descriptorPath = jar.getManifest().getMainAttributes().getValue(ModelBundleLayout.MODELS_HEADER);
            assertEquals("models/iforest.json", descriptorPath);
            byte[] descriptorBytes = jar.getInputStream(jar.getEntry(descriptorPath)).readAllBytes();
            String sig = new String(jar.getInputStream(jar.getEntry(descriptorPath + ".sig")).readAllBytes(), StandardCharsets.UTF_8);
            SignatureVerdict verdict = ModelSignature.verify(descriptorBytes, sig, id -> id.equals(signer.keyId()) ? signer.publicKey() : null);
            assertTrue(verdict.accepted(), verdict.detail());

            ModelDescriptor descriptor = ModelDescriptor.parse(descriptorBytes);
            assertEquals("1.0.0", descriptor.version());
            assertEquals("flow:canonical.1+temporal.2+cross.1+domain.2+anomaly.1", descriptor.schema());
            assertEquals(Calibration.identity(), descriptor.calibration());
            assertEquals("features", descriptor.input());
            assertEquals("score", descriptor.output());
            assertEquals(descriptor.features().size(), descriptor.featureStats().orElseThrow().size());
            assertTrue(descriptor.training().containsKey("trainedAt"), descriptor.training().toString());
            byte[] onnx = jar.getInputStream(jar.getEntry(descriptor.onnx())).readAllBytes();
            assertEquals(descriptor.onnxSha256(), ModelDescriptor.sha256(onnx));

            double[][] rows = {new double[descriptor.features().size()]};
            double score = OrtScores.of(onnx, rows)[0];
            assertTrue(score > 0 && score <= 1, "score " + score);
        }
        assertTrue(said.stream().anyMatch(line -> line.startsWith("ppa_dns.cap: ")), said.toString());
        assertTrue(said.get(said.size() - 2).startsWith("model iforest 1.0.0: 60 vectors x "), said.toString());
    }

    @Test
    void eachTrainingGetsTheNextPatchVersionAndAVersionIsNeverReused() throws Exception {
        String capture = Stages.CAPTURES.resolve("slips_cc_semiperiodic_2to3s.pcap").toString();
        job(null).run(capture, null, "beacons", null, deploy, signer, null);
        Path second = job(null).run(capture, null, "beacons", null, deploy, signer, null);
        assertEquals(deploy.resolve("beacons-1.0.1.jar"), second);
        IllegalArgumentException reused = assertThrows(IllegalArgumentException.class,
                () -> job(null).run(capture, null, "beacons", "1.0.1", deploy, signer, null));
        assertTrue(reused.getMessage().contains("exists already"), reused.getMessage());
        assertEquals(deploy.resolve("beacons-2.0.0.jar"), job(null).run(capture, null, "beacons", "2.0.0", deploy, signer, null));
    }

    @Test
    void aLogRangeTrainsTheModelItsCaptureWould() throws Exception {
        Path capture = Stages.CAPTURES.resolve("slips_cc_semiperiodic_2to3s.pcap");
        List<TelemetryEvent> events = new ArrayList<>();
        Stages.flowAgent().decode(capture, events::add);
        Path fromLog = job(new ListLog(events)).run("1970-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "c2", null, deploy, signer, null);
        Path fromCapture = job(null).run(capture.toString(), null, "c2", null, deploy, signer, null);
        assertArrayEquals(onnxOf(fromLog), onnxOf(fromCapture));
        assertTrue(said.stream().anyMatch(line -> line.startsWith("log offsets 0 to " + (events.size() - 1))), said.toString());
    }

    @Test
    void unusableSourcesAreRefusedWithTheReason() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> job(null).run(deploy.resolve("nothing.pcap").toString(), null, "x", null, deploy, signer, null));
        assertTrue(missing.getMessage().contains("neither a capture file, a folder nor an ISO-8601 time"), missing.getMessage());
        Path empty = Files.createDirectory(deploy.resolve("empty"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> job(null).run(empty.toString(), null, "x", null, deploy, signer, null));
        assertTrue(none.getMessage().contains("no captures to train on"), none.getMessage());
        IllegalStateException noLog = assertThrows(IllegalStateException.class,
                () -> job(null).run("2026-01-01T00:00:00Z", null, "x", null, deploy, signer, null));
        assertTrue(noLog.getMessage().contains("log is not available"), noLog.getMessage());
        // vectors of a kind the capture has none of: nothing to train on
        IllegalStateException nothing = assertThrows(IllegalStateException.class, () -> new TrainingJob(Stages.exports(),
                Stages.flowAgent(), null, IsolationForestParameters.DEFAULTS, "process", 1000, said::add)
                .run(Stages.CAPTURES.resolve("ppa_dns.cap").toString(), null, "x", null, deploy, signer, null));
        assertTrue(nothing.getMessage().contains("too little to train on: 0 usable vectors"), nothing.getMessage());
    }

    private static byte[] onnxOf(Path bundle) throws Exception {
        try (JarFile jar = new JarFile(bundle.toFile())) {
            ModelDescriptor d = ModelDescriptor.parse(jar.getInputStream(jar.getEntry("models/c2.json")).readAllBytes());
            return jar.getInputStream(jar.getEntry(d.onnx())).readAllBytes();
        }
    }
}
