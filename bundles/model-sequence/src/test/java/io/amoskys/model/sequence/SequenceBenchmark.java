package io.amoskys.model.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import io.amoskys.model.runtime.ScoringRounds;
import io.amoskys.model.runtime.ScoringRounds.Mem;
import io.amoskys.model.runtime.ScoringRounds.ScoringPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the committed sequence models (bundles/models/{lstm,transformer}/src/main/model) cost per
 * window on one thread, two ways in the same run: (a) the ONNX session called directly with the
 * windows made beforehand ([n, 8, F] float32 wrapped into a tensor, one call), (b) the detector
 * the model runtime registers, as a route calls it: {@code score()} at batch 1, {@code scoreAll()}
 * at 64, 256 and 1024: the runtime picks the columns by name, checks them, adds each vector to its
 * entity's ring and copies the window out, then one ONNX Runtime call, calibration, evidence and
 * {@code Score} objects. Both score every window (windowStride 1). And (c), at batch 64 and more:
 * the detector at the runtime's default windowStride (the model's window, 8), as a live route
 * calls it: every vector enters its entity's ring, one window in 8 of an entity is scored; its
 * rate is flow vectors per second, the events a route's detector step keeps up with (batch 256:
 * one log batch of the shipped flow route to a call).
 *
 * <p>Vectors: every capture's flow vectors through the default stages, recycled in capture order to
 * {@value #POOL}; each capture's entities kept apart (the rings hold 291 entities, within the runtime's
 * default 4,096: nothing is evicted). Per batch size the paths take turns, round after round:
 * {@value #WARMUP} rounds of warm-up, then {@value #ROUNDS} timed rounds of {@value #WINDOWS_PER_ROUND}
 * windows; windows/s is the median round (best beside it), latency percentiles over every call.
 * The floors of ../shared/STACK.md (windows/s at batch 64 through the detector) are asserted on the
 * best round (the machine this runs on is shared: the median round measures the neighbours too).
 *
 * <p>Memory ({@link ScoringRounds.Mem}: used heap after a full collection, and the resident set
 * outside the committed heap): loading ONNX Runtime, then per model its first session, that
 * session's first call of 64 windows, {@value #MORE_SESSIONS} more sessions, and the runtime's load
 * of the signed bundle.
 *
 * <p>{@link #theStackProbesOnThisMachine} times the probe models behind those floors beside ours, so
 * that the floors can be read on the machine at hand.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the tables kept in docs/PERFORMANCE.md:
 * {@code mvn -o -q test -pl bundles/model-sequence -Dtest=SequenceBenchmark -Damoskys.benchmark=true}
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the memory figures need a JVM whose ONNX Runtime has freed nothing yet
class SequenceBenchmark {
    static final int[] BATCHES = {1, 64, 256, 1024};
    static final int POOL = 16_384;
    static final int WINDOWS_PER_ROUND = 16_384;
    static final int WARMUP = 3;
    static final int ROUNDS = 11;
    static final int MORE_SESSIONS = 8;
    static final Map<String, Double> FLOORS_AT_64 = Map.of("lstm", 60_000.0, "transformer", 24_000.0);

    @TempDir
    Path folder;

    record Measured(String model, String path, int batch, double rate, double best, double p50, double p99) {}

    /** A model's session, its detector scoring every window, and its detector at the runtime's default stride. */
    record Loaded(OrtSession session, Detector detector, Detector strided) {}

    /** Path (c): vectors handed over per second, and the share of them whose window was scored. */
    record PerVector(Measured measured, double scoredShare) {}

    static final String STRIDED = "(c) model runtime detector, default windowStride (8)";

    @Test
    @Order(1)
    void windowsPerSecondOnOneThread() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        System.out.println(ScoringRounds.machine());
        // Memory, first ONNX Runtime's library, while the heap is still small.
        List<String> memory = new ArrayList<>();
        OrtEnvironment env = ScoringRounds.ortLoaded(memory);
        Captures data = Captures.all();
        List<FeatureVector> vectors = new ArrayList<>(POOL);
        int w = Captures.WINDOW;
        int f = data.features.size();
        float[] windows = new float[POOL * w * f];
        // Each capture went through its own stages, whose equal schemas are distinct objects; on a
        // route one chain of stages makes every vector, on one schema object: so here too.
        Map<FeatureSchema, FeatureSchema> oneSchema = new HashMap<>();
        for (int r = 0; r < POOL; r++) {
            Captures.Window window = data.windows.get(r % data.windows.size());
            FeatureVector v = window.vector();
            vectors.add(new FeatureVector(oneSchema.computeIfAbsent(v.schema(), s -> s), window.capture().file() + "|" + v.entityId(), v.timestampNanos(), v.toArray(),
                    v.sourceEventIds()));
            System.arraycopy(window.values(), 0, windows, r * w * f, w * f);
        }
        List<Measured> results = new ArrayList<>();
        List<PerVector> perVector = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ScoringRounds rounds = new ScoringRounds(POOL, WINDOWS_PER_ROUND, WARMUP, ROUNDS);
        try (RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder.resolve("every-window"), 1);
                RuntimeOutsideOsgi live = new RuntimeOutsideOsgi(folder.resolve("default-stride"))) {
            // Both models loaded before either is timed: memory that scoring frees would be reused by
            // the next model's sessions and hide them.
            Map<String, Loaded> models = new LinkedHashMap<>();
            for (String name : List.of("lstm", "transformer")) {
                Path dir = SequenceRecipe.MODELS.resolve(name).resolve("src/main/model");
                ModelDescriptor descriptor = ModelDescriptor.parse(Files.readAllBytes(dir.resolve(name + ".json")));
                byte[] onnx = Files.readAllBytes(dir.resolve(Path.of(descriptor.onnx()).getFileName()));
                assertEquals(data.features, descriptor.features());
                // The sessions' memory, then the runtime's own load of the signed bundle.
                OrtSession session = ScoringRounds.sessionsMeasured(env, onnx, name, "its first call of 64 windows",
                        first -> scoreWindows(env, first, windows, 0, 64, w, f), MORE_SESSIONS, memory);
                Mem closed = Mem.now();
                Detector detector = runtime.start(descriptor, onnx);
                Mem loaded = Mem.now();
                memory.add(closed.row(name + ": the model bundle loaded by the runtime (signature, session, trial window)", loaded, 1));
                models.put(name, new Loaded(session, detector, live.start(descriptor, onnx)));
                System.out.printf("%s: ONNX %d bytes, window %d × %d features%n", name, onnx.length, descriptor.window(),
                        descriptor.features().size());
            }
            for (Map.Entry<String, Loaded> model : models.entrySet()) {
                String name = model.getKey();
                OrtSession session = model.getValue().session();
                Detector detector = model.getValue().detector();
                Detector strided = model.getValue().strided();
                Map<String, ScoringPath> paths = new LinkedHashMap<>();
                paths.put("(a) ONNX Runtime session, windows made", (offset, n) -> ScoringRounds.sum(scoreWindows(env, session, windows, offset, n, w, f)));
                paths.put("(b) model runtime detector, windows kept", (offset, n) -> through(detector, vectors, offset, n));
                for (int batch : BATCHES) {
                    if (batch >= 64) {
                        paths.put(STRIDED, (offset, n) -> throughStrided(strided, vectors, offset, n));
                    } else {
                        paths.remove(STRIDED);
                    }
                    long[] before = live.strideStats(name);
                    for (ScoringRounds.Measured r : rounds.measure(paths, batch)) {
                        Measured m = new Measured(name, r.path(), batch, r.rowsPerSecond(), r.bestRowsPerSecond(), r.p50Micros(),
                                r.p99Micros());
                        if (r.path().equals(STRIDED)) {
                            long[] after = live.strideStats(name);
                            double scored = after[0] - before[0];
                            perVector.add(new PerVector(m, scored / (scored + after[1] - before[1])));
                        } else {
                            results.add(m);
                        }
                    }
                }
                long[] held = runtime.windowStats(name);
                System.out.printf("%s: the detector keeps windows of %d entities, %d evicted%n", name, held[0], held[1]);
                session.close();
            }
        }
        StringBuilder table = new StringBuilder("| model | path | batch | windows/s, median of " + ROUNDS + " rounds | best round "
                + "| µs per window | call p50, µs | call p99, µs | floor (STACK.md) |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Measured m : results) {
            boolean floored = m.batch() == 64 && m.path().startsWith("(b)");
            String floor = floored ? String.format("≥ %s", thousands(FLOORS_AT_64.get(m.model()))) : "";
            table.append(String.format("| %s | %s | %d | %s | %s | %.2f | %s | %s | %s |%n", m.model(), m.path(), m.batch(),
                    thousands(m.rate()), thousands(m.best()), 1e6 / m.rate(), ScoringRounds.micros(m.p50()), ScoringRounds.micros(m.p99()), floor));
            // The best round: on a shared machine the median measures the neighbours as much as the model.
            if (floored && m.best() < FLOORS_AT_64.get(m.model())) {
                failures.add(m.model() + " at batch 64: best round " + thousands(m.best()) + " windows/s < "
                        + thousands(FLOORS_AT_64.get(m.model())));
            }
        }
        System.out.print(table);
        StringBuilder second = new StringBuilder("| model | path | batch (vectors) | vectors/s, median of " + ROUNDS
                + " rounds | best round | µs per vector | windows scored per vector | call p50, µs | call p99, µs |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PerVector v : perVector) {
            Measured m = v.measured();
            second.append(String.format("| %s | %s | %d | %s | %s | %.2f | %.3f | %s | %s |%n", m.model(), m.path(), m.batch(),
                    thousands(m.rate()), thousands(m.best()), 1e6 / m.rate(), v.scoredShare(), ScoringRounds.micros(m.p50()), ScoringRounds.micros(m.p99())));
            // Every vector enters a ring, and about one in 8 is scored: the share tells a stride that is not applied.
            if (v.scoredShare() > 0.2 || v.scoredShare() < 0.1) {
                failures.add(m.model() + " at the default stride scored " + v.scoredShare() + " of the vectors' windows, not about 1/8");
            }
        }
        System.out.print(second);
        System.out.print(Mem.HEADER);
        memory.forEach(System.out::print);
        System.out.printf("load average at the end: %s%n", ScoringRounds.loadAverage());
        assertTrue(failures.isEmpty(), "below the floors: " + failures);
    }

    /**
     * STACK.md's floors are the figures of its probe on the machine it ran on (LSTM autoencoder 16 ×
     * 100, hidden 32: 65 k windows/s at batch 64; Transformer, 2 layers, d = 64, window 16: 24 k). The
     * probe's two models, rebuilt from the shapes STACK.md gives ({@code src/test/python/stack_probe_models.py},
     * random weights), take turns here with ours, each an ONNX Runtime session with the runtime's
     * options called with windows made beforehand (path (a) above), at batch 64: what the floors
     * would be on this machine.
     */
    @Test
    @Order(2)
    void theStackProbesOnThisMachine() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        System.out.println(ScoringRounds.machine());
        Process export = new ProcessBuilder(SequenceRecipe.PYTHON, Path.of("src/test/python/stack_probe_models.py").toAbsolutePath().toString(),
                folder.toString()).redirectErrorStream(true).start();
        String log = new String(export.getInputStream().readAllBytes());
        assertTrue(export.waitFor() == 0, "stack_probe_models.py failed: " + log);
        Captures data = Captures.all();
        int w = Captures.WINDOW;
        int f = data.features.size();
        float[] ours = new float[POOL * w * f];
        for (int r = 0; r < POOL; r++) {
            System.arraycopy(data.windows.get(r % data.windows.size()).values(), 0, ours, r * w * f, w * f);
        }
        float[] probeWindows = new float[POOL * 16 * 100];
        Random random = new Random(1);
        for (int i = 0; i < probeWindows.length; i++) {
            probeWindows[i] = (float) random.nextGaussian();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int batch = 64;
        Map<String, ScoringPath> paths = new LinkedHashMap<>();
        List<OrtSession> sessions = new ArrayList<>();
        for (String name : List.of("lstm", "transformer")) {
            Path dir = SequenceRecipe.MODELS.resolve(name).resolve("src/main/model");
            ModelDescriptor descriptor = ModelDescriptor.parse(Files.readAllBytes(dir.resolve(name + ".json")));
            OrtSession probe = env.createSession(folder.resolve("probe-" + name + ".onnx").toString(), ScoringRounds.options());
            OrtSession session = env.createSession(Files.readAllBytes(dir.resolve(Path.of(descriptor.onnx()).getFileName())), ScoringRounds.options());
            sessions.add(probe);
            sessions.add(session);
            paths.put("STACK.md probe " + name + " (window 16 × 100)",
                    (offset, n) -> ScoringRounds.sum(ScoringRounds.run(env, probe, "input", "score", probeWindows, offset, n, 16, 100)));
            paths.put("ours, " + name + " (window " + w + " × " + f + ")", (offset, n) -> ScoringRounds.sum(scoreWindows(env, session, ours, offset, n, w, f)));
        }
        List<ScoringRounds.Measured> measured = new ScoringRounds(POOL, WINDOWS_PER_ROUND, WARMUP, ROUNDS).measure(paths, batch);
        StringBuilder table = new StringBuilder("| model | batch | windows/s, median of " + ROUNDS + " rounds | best round | on STACK.md's machine |\n"
                + "|---|---:|---:|---:|---|\n");
        Map<String, String> stack = Map.of("STACK.md probe lstm", "65 k", "STACK.md probe transformer", "24 k");
        double[] medians = new double[measured.size()];
        int i = 0;
        for (ScoringRounds.Measured m : measured) {
            medians[i++] = m.rowsPerSecond();
            String there = stack.entrySet().stream().filter(s -> m.path().startsWith(s.getKey())).map(Map.Entry::getValue).findFirst().orElse("");
            table.append(String.format("| %s | %d | %s | %s | %s |%n", m.path(), batch, thousands(m.rowsPerSecond()),
                    thousands(m.bestRowsPerSecond()), there));
        }
        System.out.print(table);
        System.out.printf("ours against the probe, medians: lstm %.2f×, transformer %.2f×; load average at the end: %s%n",
                medians[1] / medians[0], medians[3] / medians[2], ScoringRounds.loadAverage());
        for (OrtSession session : sessions) {
            session.close();
        }
    }

    /** Our sequence model's session on {@code n} windows made beforehand, from window {@code offset}. */
    private static float[] scoreWindows(OrtEnvironment env, OrtSession session, float[] windows, int offset, int n, int w, int f)
            throws OrtException {
        return ScoringRounds.run(env, session, SequenceRecipe.INPUT, SequenceRecipe.OUTPUT, windows, offset, n, w, f);
    }

    private static double through(Detector detector, List<FeatureVector> vectors, int offset, int n) {
        if (n == 1) {
            Score s = detector.score(vectors.get(offset));
            assertNotNull(s);
            return s.value();
        }
        double s = 0;
        for (Score score : detector.scoreAll(vectors.subList(offset, offset + n))) {
            s += score.value();
        }
        return s;
    }

    /** Path (c): the vectors not due get no score; @return the sum of the scores given */
    private static double throughStrided(Detector detector, List<FeatureVector> vectors, int offset, int n) {
        double s = 0;
        for (Score score : detector.scoreAll(vectors.subList(offset, offset + n))) {
            if (score != null) {
                s += score.value();
            }
        }
        return s;
    }

    private static String thousands(double rate) {
        return rate >= 1e6 ? String.format("%.2f M", rate / 1e6) : String.format("%.1f k", rate / 1e3);
    }
}
