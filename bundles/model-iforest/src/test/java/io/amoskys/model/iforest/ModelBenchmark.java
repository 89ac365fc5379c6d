package io.amoskys.model.iforest;

import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Isolation Forest costs per row on one thread, three ways in the same run: (a) its ONNX
 * session called directly, as the runtime's session wrapper calls it (float32 rows wrapped into a
 * tensor, one call, the scores read back); (b) the detector the model runtime registers, as a
 * route calls it: {@code score()} at batch 1, {@code scoreAll()} at 64 and 1024 (columns picked by
 * name, NaN check, calibration, evidence, {@code Score} objects, the runtime's counters), and (b')
 * the same for a descriptor without {@code featureStats}, which names no evidence; (c) the Java
 * scorer, the peer without ONNX Runtime.
 *
 * <p>Rows: the flow vectors that every capture in ../shared/data/pcap (MANIFEST.tsv) makes
 * through the default stages, recycled in capture order to a pool of {@value #POOL} rows. The
 * forest: the trainer's defaults (100 trees, 256 rows each, seed 1), trained on all those vectors
 * so that each tree draws its full 256 rows (depth limit 8); the shipped default model is trained
 * on the benign captures only (fewer rows, shallower trees) and would cost less.
 *
 * <p>Per batch size the three paths take turns, round after round (short rounds, so that a burst
 * of load from elsewhere on the machine falls on all three alike): {@value #WARMUP} rounds of
 * warm-up (JIT), then {@value #ROUNDS} timed rounds of {@value #ROWS_PER_ROUND} rows each. Rows/s
 * is the median round, with the best round beside it; the latency percentiles are over every call
 * of the timed rounds. Memory:
 * used heap after a full collection and the process's VmRSS (/proc/self/status) around loading
 * ONNX Runtime, opening the session and more sessions of the same model.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the tables kept in docs/PERFORMANCE.md.
 */
class ModelBenchmark {
    static final int[] BATCHES = {1, 64, 1024};
    /** Rows recycled; a multiple of the largest batch, so no batch wraps around. */
    static final int POOL = 16_384;
    static final int ROWS_PER_ROUND = 32_768;
    static final int WARMUP = 4;
    static final int ROUNDS = 21;
    static final int MORE_SESSIONS = 16;
    static volatile double sink;

    @TempDir
    Path folder;

    /** One call of a batch of {@code n} rows from {@code offset} of the pool; returns something to keep. */
    interface ScoringPath {
        double call(int offset, int n) throws Exception;
    }

    record Measured(String path, int batch, double rowsPerSecond, double bestRowsPerSecond, double p50Micros, double p99Micros,
            String rounds) {}

    @Test
    void scoringCostPerRowOnOneThread() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        Path manifest = Stages.CAPTURES.resolve(TrainingSources.MANIFEST);
        assumeTrue(Files.exists(manifest), manifest + " missing");
        System.out.printf("machine: %d cores (%s), %s, Java %s; load average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("os.name"), System.getProperty("java.version"), loadAverage());

        // The rows: every capture's flow vectors, sharing one schema object as on the live stream.
        List<FeatureVector> real = new ArrayList<>();
        List<String> captures = captures(manifest);
        for (String capture : captures) {
            Stages.exports().vectors(Stages.flowAgent(), Stages.CAPTURES.resolve(capture), "flow", real::add);
        }
        FeatureSchema schema = real.get(0).schema();
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, IsolationForestParameters.DEFAULTS.seed());
        set.source("every capture of " + Stages.CAPTURES + " (benchmark)");
        real.forEach(set);
        TrainedIsolationForest model = IsolationForestTrainer.train(set, IsolationForestParameters.DEFAULTS);
        IsolationForest forest = model.forest();
        List<String> features = model.features();
        int width = features.size();
        int[] columns = features.stream().mapToInt(schema::indexOf).toArray();
        List<FeatureVector> usable = new ArrayList<>();
        for (FeatureVector v : real) {
            assertEquals(schema, v.schema());
            if (Arrays.stream(columns).allMatch(c -> Float.isFinite((float) v.get(c)))) {
                usable.add(new FeatureVector(schema, v.entityId(), v.timestampNanos(), v.toArray(), v.sourceEventIds()));
            }
        }
        List<FeatureVector> vectors = new ArrayList<>(POOL);
        float[] flat = new float[POOL * width];
        double[][] wide = new double[POOL][width];
        for (int r = 0; r < POOL; r++) {
            FeatureVector v = usable.get(r % usable.size());
            vectors.add(v);
            for (int j = 0; j < width; j++) {
                flat[r * width + j] = (float) v.get(columns[j]);
                wide[r][j] = (float) v.get(columns[j]);
            }
        }
        int nodes = forest.trees().stream().mapToInt(IsolationTree::nodeCount).sum();
        System.out.printf("rows: %d flow vectors from %d captures (%d with non-finite model features left out), recycled to %d; "
                + "model: %d trees of %d rows (depth limit %d), %d nodes, %d of %d features, ONNX %d bytes%n", real.size(),
                captures.size(), real.size() - usable.size(), POOL, forest.treeCount(), forest.sampleSize(),
                IsolationForestParameters.maxDepth(forest.sampleSize()), nodes, width, schema.size(), model.onnx().length);
        assertEquals(256, forest.sampleSize(), "the trainer's default: 256 rows per tree");

        // Memory: ONNX Runtime's library, the session, its first large call, the runtime's own load.
        List<String> memory = new ArrayList<>();
        Mem.now();
        Mem before = Mem.now(); // the second, once the heap has settled
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Mem library = Mem.now();
        memory.add(before.row("ONNX Runtime loaded (native library, environment)", library, 1));
        OrtSession session = env.createSession(model.onnx(), options());
        Mem opened = Mem.now();
        memory.add(library.row("the model's first session opened", opened, 1));
        ort(env, session, flat, 0, 1024, width);
        Mem called = Mem.now();
        memory.add(opened.row("its first call of 1024 rows", called, 1));
        List<OrtSession> more = new ArrayList<>();
        for (int i = 0; i < MORE_SESSIONS; i++) {
            more.add(env.createSession(model.onnx(), options()));
        }
        Mem moreOpened = Mem.now();
        memory.add(called.row("each further session of the model (mean of " + MORE_SESSIONS + ")", moreOpened, MORE_SESSIONS));
        for (OrtSession s : more) {
            s.close();
        }
        Mem closed = Mem.now();
        RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder);
        ModelDescriptor descriptor = IsolationForestDescriptors.describe(model, "iforest", "1.0.0", Map.of());
        Detector detector = runtime.start(descriptor, model.onnx());
        Mem loaded = Mem.now();
        memory.add(closed.row("the model bundle loaded by the runtime (signature, session, trial row)", loaded, 1));
        // The same model under another name, its descriptor without featureStats: what the evidence costs.
        Map<String, Object> withoutStats = new LinkedHashMap<>(descriptor.training());
        withoutStats.remove("featureStats");
        Detector bare = runtime.start(ModelDescriptor.builder().name("iforest-bare").version("1.0.0").schema(descriptor.schema())
                .features(descriptor.features()).input(descriptor.input()).output(descriptor.output())
                .outputMeaning(descriptor.outputMeaning()).calibration(descriptor.calibration()).threshold(descriptor.threshold())
                .onnx(ModelBundleLayout.onnxPath("iforest-bare", "1.0.0"), model.onnx()).training(withoutStats).build(), model.onnx());
        System.out.printf("Java forest: %d nodes in arrays, about %.0f KB of heap%n", nodes, nodes * 24 / 1e3);

        // The paths agree before they are timed.
        float[] ortScores = ort(env, session, flat, 1024, 1024, width);
        List<Score> detectorScores = detector.scoreAll(vectors.subList(1024, 2048));
        List<Score> bareScores = bare.scoreAll(vectors.subList(1024, 2048));
        double maxDifference = 0;
        for (int i = 0; i < 1024; i++) {
            double java = forest.score(wide[1024 + i]);
            assertNotNull(detectorScores.get(i), "row " + i);
            maxDifference = Math.max(maxDifference, Math.max(Math.abs(java - ortScores[i]), Math.abs(java - detectorScores.get(i).value())));
            maxDifference = Math.max(maxDifference, Math.abs(java - bareScores.get(i).value()));
        }
        assertTrue(maxDifference <= IsolationForestTest.TOLERANCE, "the paths disagree by " + maxDifference);
        assertEquals(3, detectorScores.get(0).topContributions().size(), "the model names its evidence");
        assertTrue(bareScores.get(0).topContributions().isEmpty(), "the model without featureStats names none");

        Map<String, ScoringPath> paths = new LinkedHashMap<>();
        paths.put("(a) ONNX Runtime session", (offset, n) -> sum(ort(env, session, flat, offset, n, width)));
        paths.put("(b) model runtime detector", (offset, n) -> through(detector, vectors, offset, n));
        paths.put("(b') detector without evidence", (offset, n) -> through(bare, vectors, offset, n));
        paths.put("(c) Java scorer (peer)", (offset, n) -> {
            double s = 0;
            for (int i = offset; i < offset + n; i++) {
                s += forest.score(wide[i]);
            }
            return s;
        });

        List<Measured> results = new ArrayList<>();
        for (int batch : BATCHES) {
            Map<String, List<long[]>> latencies = new LinkedHashMap<>();
            Map<String, double[]> rates = new LinkedHashMap<>();
            paths.keySet().forEach(p -> {
                latencies.put(p, new ArrayList<>());
                rates.put(p, new double[ROUNDS]);
            });
            for (int round = 0; round < WARMUP + ROUNDS; round++) {
                for (Map.Entry<String, ScoringPath> p : paths.entrySet()) {
                    long[] calls = new long[ROWS_PER_ROUND / batch];
                    long elapsed = round(p.getValue(), batch, calls);
                    if (round >= WARMUP) {
                        latencies.get(p.getKey()).add(calls);
                        rates.get(p.getKey())[round - WARMUP] = ROWS_PER_ROUND / (elapsed / 1e9);
                    }
                }
            }
            for (String p : paths.keySet()) {
                long[] all = latencies.get(p).stream().flatMapToLong(Arrays::stream).sorted().toArray();
                double[] r = rates.get(p).clone();
                String each = Arrays.stream(r).mapToObj(x -> String.format("%.0f", x / 1e3)).reduce((x, y) -> x + ", " + y).orElse("");
                Arrays.sort(r);
                results.add(new Measured(p, batch, r[ROUNDS / 2], r[ROUNDS - 1], all[(int) (all.length * 0.50)] / 1e3,
                        all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e3, each));
            }
        }
        session.close();
        runtime.close();

        StringBuilder table = new StringBuilder("| path | batch | rows/s, median of " + ROUNDS + " rounds | best round | µs per row (median) "
                + "| call p50, µs | call p99, µs |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (int batch : BATCHES) {
            for (Measured m : results) {
                if (m.batch() == batch) {
                    table.append(String.format("| %s | %d | %s | %s | %.2f | %s | %s |%n", m.path(), m.batch(), thousands(m.rowsPerSecond()),
                            thousands(m.bestRowsPerSecond()), 1e6 / m.rowsPerSecond(), micros(m.p50Micros()), micros(m.p99Micros())));
                }
            }
        }
        StringBuilder memoryTable = new StringBuilder("| step | Δ heap used, MB | VmRSS after, MB | Δ VmRSS outside the heap, MB |\n"
                + "|---|---:|---:|---:|\n");
        memory.forEach(memoryTable::append);
        System.out.print(table);
        System.out.println("rows/s of each timed round, k:");
        results.forEach(m -> System.out.printf("  %-31s batch %4d: %s%n", m.path(), m.batch(), m.rounds()));
        System.out.print(memoryTable);
        System.out.printf("paths agree within %.2g; load average at the end: %s%n", maxDifference, loadAverage());
        assertTrue(sink != 0);
    }

    /** As a route calls a detector: {@code score()} for one vector, {@code scoreAll()} for more. */
    private static double through(Detector detector, List<FeatureVector> vectors, int offset, int n) {
        if (n == 1) {
            return detector.score(vectors.get(offset)).value();
        }
        double s = 0;
        for (Score score : detector.scoreAll(vectors.subList(offset, offset + n))) {
            s += score.value();
        }
        return s;
    }

    /** Times one round; @return its nanoseconds, with each call's in {@code calls} */
    private static long round(ScoringPath path, int batch, long[] calls) throws Exception {
        double keep = 0;
        int offset = 0;
        long start = System.nanoTime();
        for (int c = 0; c < calls.length; c++) {
            long t = System.nanoTime();
            keep += path.call(offset, batch);
            calls[c] = System.nanoTime() - t;
            offset += batch;
            if (offset == POOL) {
                offset = 0;
            }
        }
        long elapsed = System.nanoTime() - start;
        sink += keep;
        return elapsed;
    }

    /** As the runtime's session wrapper calls ONNX Runtime: rows wrapped, one run, the score column read back. */
    private static float[] ort(OrtEnvironment env, OrtSession session, float[] flat, int offset, int n, int width) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat, offset * width, n * width), new long[] {n, width});
                OrtSession.Result result = session.run(Map.of(IsolationForestOnnx.INPUT, x), Set.of(IsolationForestOnnx.OUTPUT))) {
            FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] scores = new float[n];
            values.get(scores);
            return scores;
        }
    }

    /** The runtime's session options: one intra-op and one inter-op thread, sequential, all optimisations. */
    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return options;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static List<String> captures(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest);
        int file = Arrays.asList(lines.get(0).split("\t")).indexOf("file");
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")[file]).toList();
    }

    /**
     * Used and committed heap after a full collection, and the process's resident set. A collection
     * may give heap back to the system or take more, so the native growth is read as the change of
     * the resident set outside the committed heap.
     */
    private record Mem(long heap, long committed, long rss) {
        static Mem now() throws IOException {
            System.gc();
            System.gc();
            MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
            return new Mem(usage.getUsed(), usage.getCommitted(), rss);
        }

        String row(String step, Mem after, int per) {
            return String.format("| %s | %+.3f | %.1f | %+.1f |%n", step, (after.heap - heap) / 1e6 / per, after.rss / 1e6,
                    ((after.rss - after.committed) - (rss - committed)) / 1e6 / per);
        }
    }

    private static String thousands(double rowsPerSecond) {
        return rowsPerSecond >= 1e6 ? String.format("%.2f M", rowsPerSecond / 1e6) : String.format("%.0f k", rowsPerSecond / 1e3);
    }

    private static String micros(double us) {
        return us >= 100 ? String.format("%.0f", us) : String.format("%.1f", us);
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
    }
}
