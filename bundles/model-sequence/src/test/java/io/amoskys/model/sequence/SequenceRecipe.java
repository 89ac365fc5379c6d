package io.amoskys.model.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.Calibration;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.RocAuc;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of one sequence model (the subclasses: LSTM, Transformer), end to end:
 *
 * <ol>
 * <li>the windows of every capture's flow vectors ({@link Captures}) are exported to a temporary folder;
 * <li>{@code src/main/python/train_sequence.py} (Debian's python3-torch) scores every capture's windows
 *     with models trained without that capture ({@value #FOLDS} folds of captures), trains the final model
 *     on all captures and exports it to ONNX with reference outputs, the six trainings spread over the
 *     machine's cores; when the committed files are to be rewritten, it trains the final model again
 *     first: the ONNX files must be the same bytes (else the comparison with the committed files is that check);
 * <li>ONNX Runtime (Java) must give the reference windows torch's scores within {@value #TOLERANCE};
 * <li>the model is signed, loaded by the model runtime and scores every vector through its detector,
 *     which keeps the entities' windows itself: its scores must be ONNX Runtime's on the exported
 *     windows within {@value #RUNTIME_TOLERANCE} (so the runtime windows as the recipe does);
 * <li>the descriptor is made with the provenance and the held-out metrics, and the ONNX file and the
 *     descriptor are compared byte for byte with the committed ones in
 *     {@code bundles/models/NAME/src/main/model/} ({@code -Damoskys.model.write=true} writes them instead).
 * </ol>
 *
 * <p>Needs /usr/bin/python3 with torch and onnx (Debian: python3-torch python3-onnx; .ci/test installs
 * them): without them it fails, saying so.
 */
abstract class SequenceRecipe {
    static final String VERSION = "1.0.0";
    static final String INPUT = "windows";
    static final String OUTPUT = "probability";
    static final double THRESHOLD = 0.5;
    static final int FOLDS = 5;
    /** |ONNX Runtime - torch| on the reference windows, probabilities. */
    static final double TOLERANCE = 1e-5;
    /** |runtime detector - ONNX Runtime on the exported windows|: the same float32 inputs, other batches. */
    static final double RUNTIME_TOLERANCE = 1e-6;
    static final String SCRIPT = "bundles/model-sequence/src/main/python/train_sequence.py";
    static final Path SCRIPT_FILE = Path.of(System.getProperty("amoskys.sequence.script", "src/main/python/train_sequence.py"));
    static final String PYTHON = System.getProperty("amoskys.python", "/usr/bin/python3");
    static final Path MODELS = Path.of(System.getProperty("amoskys.models", "../models"));

    @TempDir
    Path folder;

    /** The model's name: {@code lstm} or {@code transformer}, also the script's {@code --model}. */
    abstract String name();

    abstract String recipe();

    abstract String outputMeaning();

    /** The least held-out AUC (all attacks against all benign windows) the recipe must reach. */
    abstract double leastAuc();

    @Test
    void trainExportCheckAndCompareWithTheCommittedModel() throws Exception {
        requireTorch();
        Captures data = Captures.all();
        Path exported = folder.resolve("data");
        data.export(exported);
        String keep = System.getProperty("amoskys.sequence.exportTo");
        if (keep != null) {
            data.export(Path.of(keep)); // for running train_sequence.py by hand
        }
        Path first = folder.resolve("run1");
        python(exported, first, true);
        byte[] onnx = Files.readAllBytes(first.resolve("model.onnx"));
        if (Boolean.getBoolean("amoskys.model.write")) {
            // Nothing committed to compare with yet: a second run must at least give the same bytes.
            Path second = folder.resolve("run2");
            python(exported, second, false);
            assertArrayEquals(onnx, Files.readAllBytes(second.resolve("model.onnx")),
                    "a second training run must give the same ONNX bytes");
            assertArrayEquals(Files.readAllBytes(first.resolve("reference_scores.f32")),
                    Files.readAllBytes(second.resolve("reference_scores.f32")));
        }

        int w = Captures.WINDOW;
        int f = data.features.size();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double torchDifference;
        double runtimeDifference;
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            float[] references = floats(first.resolve("reference_inputs.f32"));
            float[] expected = floats(first.resolve("reference_scores.f32"));
            float[] ort = run(env, session, references, expected.length, w, f);
            torchDifference = maxDifference(expected, ort);
            assertTrue(torchDifference <= TOLERANCE, "ONNX Runtime differs from torch by " + torchDifference);

            float[] all = new float[data.windows.size() * w * f];
            for (int i = 0; i < data.windows.size(); i++) {
                System.arraycopy(data.windows.get(i).values(), 0, all, i * w * f, w * f);
            }
            float[] ortAll = run(env, session, all, data.windows.size(), w, f);
            ModelDescriptor descriptor = describe(data, onnx, first, ortAll.length);
            runtimeDifference = throughTheRuntime(data, descriptor, onnx, ortAll);

            float[] heldOut = floats(first.resolve("heldout_scores.f32"));
            assertEquals(data.windows.size(), heldOut.length);
            double auc = ((Number) ((Map<?, ?>) descriptor.training().get("metrics")).get("auc")).doubleValue();
            System.out.printf("%s: ONNX %d bytes (sha256 %s), %d windows of %d × %d; |ORT - torch| %.2g on %d reference windows, "
                    + "|runtime - ORT| %.2g on all windows; held-out AUC %.4f%n", name(), onnx.length, descriptor.onnxSha256(),
                    data.windows.size(), w, f, torchDifference, expected.length, runtimeDifference, auc);
            assertTrue(auc >= leastAuc(), "held-out AUC " + auc + " < " + leastAuc());
            checkOrWrite(descriptor, onnx);
        }
    }

    private void requireTorch() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch, onnx").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(PYTHON + " cannot import torch and onnx, which the " + name() + " recipe trains and exports with: install "
                    + "Debian's python3-torch and python3-onnx (apt-get install python3-torch python3-onnx; .ci/test does). "
                    + output.strip());
        }
    }

    private void python(Path data, Path out, boolean crossValidate) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT_FILE.toAbsolutePath().toString(), "--model", name(),
                "--data", data.toString(), "--out", out.toString()));
        if (crossValidate) {
            command.addAll(List.of("--cv", "--folds", Integer.toString(FOLDS)));
        }
        // Each training runs on one thread (the same bytes on any machine); the folds and the final model in parallel.
        command.addAll(List.of("--jobs", Integer.toString(Runtime.getRuntime().availableProcessors())));
        Path log = folder.resolve(out.getFileName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("train_sequence.py did not finish in 30 minutes");
        }
        if (p.exitValue() != 0) {
            fail("train_sequence.py failed (" + p.exitValue() + "):\n" + Files.readString(log));
        }
    }

    /**
     * Every vector in capture order through the runtime's detector, in batches of 256, each capture's
     * entities apart; every window scored (windowStride 1), since parity is checked on every window.
     */
    private double throughTheRuntime(Captures data, ModelDescriptor descriptor, byte[] onnx, float[] ortAll) throws IOException {
        double worst = 0;
        try (RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder.resolve("runtime"), 1)) {
            Detector detector = runtime.start(descriptor, onnx);
            List<FeatureVector> all = new ArrayList<>();
            for (Captures.Capture c : data.captures) {
                for (FeatureVector v : c.vectors()) {
                    // A capture's entities start afresh, as the recipe's windows do.
                    all.add(new FeatureVector(v.schema(), c.file() + "|" + v.entityId(), v.timestampNanos(), v.toArray(),
                            v.sourceEventIds()));
                }
            }
            List<Score> scores = new ArrayList<>();
            for (int from = 0; from < all.size(); from += 256) {
                scores.addAll(detector.scoreAll(all.subList(from, Math.min(all.size(), from + 256))));
            }
            int k = 0;
            for (Score s : scores) {
                if (s != null) {
                    worst = Math.max(worst, Math.abs(s.value() - ortAll[k++]));
                }
            }
            assertEquals(ortAll.length, k, "the runtime scores every vector the recipe made a window of");
            assertTrue(worst <= RUNTIME_TOLERANCE, "the runtime's detector differs from ONNX Runtime on the recipe's windows by " + worst);
            assertNotNull(scores.get(0));
        }
        return worst;
    }

    private ModelDescriptor describe(Captures data, byte[] onnx, Path run, int windows) throws Exception {
        Map<?, ?> info = (Map<?, ?>) Jsoner.deserialize(Files.readString(run.resolve("training.json")));
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("recipe", recipe());
        code.put("script", SCRIPT);
        code.put("scriptSha256", ModelDescriptor.sha256(Files.readAllBytes(SCRIPT_FILE)));
        code.put("libraries", info.get("libraries"));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", data.sources());
        training.put("rows", windows);
        training.put("windows", "each flow vector's window: the last " + Captures.WINDOW + " vectors of its entity in its capture, "
                + "oldest first, padded at the start with the entity's oldest vector; vectors with a non-finite value are left out "
                + "(as the model runtime makes them)");
        training.put("rowsPerClass", data.windowsPerClass());
        training.put("rowsPerCategory", new LinkedHashMap<>(data.windowsPerCategory()));
        training.put("label", "1 for a capture whose MANIFEST category does not start with 'benign' (an attack class), else 0");
        training.put("notFiniteVectorsSkipped", data.notFinite);
        training.put("droppedConstantFeatures", data.dropped);
        training.put("parameters", info.get("parameters"));
        training.put("trainingWindows", info.get("trainingWindows"));
        training.put("trainingWindowsPerClass", info.get("trainingWindowsPerClass"));
        training.put("finalTrainingLoss", info.get("finalTrainingLoss"));
        training.put("weights", info.get("weights"));
        training.put("code", code);
        training.put("threshold", "0.5: the probability under equal class priors (the classes weighted to equal total weight)");
        training.put("parity", "ONNX Runtime (Java) against torch on " + 512 + " reference windows within " + TOLERANCE
                + "; the model runtime's detector against ONNX Runtime on every window within " + RUNTIME_TOLERANCE);
        training.put("featureStats", data.featureStats.toJson());
        training.put("metrics", metrics(data, floats(run.resolve("heldout_scores.f32")), (Map<?, ?>) info.get("crossValidation")));
        return ModelDescriptor.builder()
                .name(name())
                .version(VERSION)
                .schema(data.schema)
                .features(data.features)
                .window(Captures.WINDOW)
                .input(INPUT)
                .output(OUTPUT)
                .outputMeaning(outputMeaning())
                .calibration(Calibration.identity())
                .threshold(THRESHOLD)
                .onnx(ModelBundleLayout.onnxPath(name(), VERSION), onnx)
                .training(training)
                .build();
    }

    /** Held-out scores pooled: AUC overall and per attack category against all benign windows, detection at the threshold. */
    static Map<String, Object> metrics(Captures data, float[] scores, Map<?, ?> crossValidation) {
        List<Double> benign = new ArrayList<>();
        List<Double> attack = new ArrayList<>();
        Map<String, List<Double>> byCategory = new TreeMap<>();
        Map<String, List<Double>> byCapture = new TreeMap<>();
        Map<String, String> categoryOf = new TreeMap<>();
        for (int i = 0; i < scores.length; i++) {
            Captures.Window w = data.windows.get(i);
            double s = scores[i];
            (w.label() == 1 ? attack : benign).add(s);
            if (w.label() == 1) {
                byCategory.computeIfAbsent(w.capture().category(), c -> new ArrayList<>()).add(s);
            }
            byCapture.computeIfAbsent(w.capture().file(), c -> new ArrayList<>()).add(s);
            categoryOf.put(w.capture().file(), w.capture().category());
        }
        double[] benignScores = unbox(benign);
        Map<String, Object> perCategory = new LinkedHashMap<>();
        byCategory.forEach((category, list) -> {
            double[] s = unbox(list);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", s.length);
            m.put("auc", round(RocAuc.of(s, benignScores)));
            m.put("detected", round(share(s)));
            perCategory.put(category, m);
        });
        Map<String, Object> perCapture = new LinkedHashMap<>();
        byCapture.forEach((capture, list) -> {
            double[] s = unbox(list);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", categoryOf.get(capture));
            m.put("rows", s.length);
            m.put("overThreshold", round(share(s)));
            m.put("maxScore", round(Arrays.stream(s).max().orElse(Double.NaN)));
            perCapture.put(capture, m);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("evaluation", "leave captures out: the captures dealt round-robin within their category into "
                + crossValidation.get("folds") + " folds; each fold's windows scored by a model trained on the other folds' "
                + "captures; scores pooled");
        json.put("auc", round(RocAuc.of(unbox(attack), benignScores)));
        json.put("benignFlagged", round(share(benignScores)));
        json.put("attackDetected", round(share(unbox(attack))));
        json.put("perCategory", perCategory);
        json.put("perCapture", perCapture);
        return json;
    }

    private void checkOrWrite(ModelDescriptor descriptor, byte[] onnx) throws IOException {
        Path dir = MODELS.resolve(name()).resolve("src/main/model");
        Path onnxFile = dir.resolve(Path.of(descriptor.onnx()).getFileName());
        Path jsonFile = dir.resolve(name() + ".json");
        if (Boolean.getBoolean("amoskys.model.write")) {
            Files.createDirectories(dir);
            Files.write(onnxFile, onnx);
            Files.write(jsonFile, descriptor.toJson());
            System.out.printf("wrote %s (%d bytes) and %s%n", onnxFile.toAbsolutePath().normalize(), onnx.length,
                    jsonFile.toAbsolutePath().normalize());
            return;
        }
        Path target = Path.of("target/model");
        Files.createDirectories(target);
        Files.write(target.resolve(onnxFile.getFileName()), onnx);
        Files.write(target.resolve(jsonFile.getFileName()), descriptor.toJson());
        String again = " (this run's files are in " + target.toAbsolutePath() + "; -Damoskys.model.write=true rewrites the committed ones)";
        assertTrue(Files.exists(onnxFile) && Files.exists(jsonFile), "no committed " + onnxFile + " and " + jsonFile + again);
        assertArrayEquals(Files.readAllBytes(jsonFile), descriptor.toJson(), "the descriptor differs from " + jsonFile + again);
        assertArrayEquals(Files.readAllBytes(onnxFile), onnx, "the ONNX file differs from " + onnxFile + again);
    }

    static float[] run(OrtEnvironment env, OrtSession session, float[] windows, int n, int w, int f) throws OrtException {
        float[] scores = new float[n];
        for (int from = 0; from < n; from += 1024) {
            int count = Math.min(1024, n - from);
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(windows, from * w * f, count * w * f),
                    new long[] {count, w, f});
                    OrtSession.Result result = session.run(Map.of(INPUT, x), Set.of(OUTPUT))) {
                ((OnnxTensor) result.get(0)).getFloatBuffer().get(scores, from, count);
            }
        }
        return scores;
    }

    static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }

    private static double share(double[] scores) {
        return scores.length == 0 ? Double.NaN : (double) Arrays.stream(scores).filter(s -> s >= THRESHOLD).count() / scores.length;
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 10_000) / 10_000.0 : -1;
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
