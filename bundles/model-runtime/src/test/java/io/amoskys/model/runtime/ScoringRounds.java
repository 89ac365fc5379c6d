package io.amoskys.model.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
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
import java.util.function.Function;

/**
 * The harness of the model benchmarks (the Isolation Forest's, the gradient-boosted trees' and the
 * sequence models'): several ways of scoring the same rows (or windows) take turns, round after
 * round and batch size by batch size, so that a burst of load from elsewhere on the machine falls on
 * all of them alike. Rows/s is the median round, with the best beside it; latency percentiles are
 * over every call of the timed rounds. Beside it, what the benchmarks share: the memory probe
 * ({@link Mem}), the runtime's session options, one plain ONNX Runtime call.
 */
public final class ScoringRounds {
    /** One call of a batch of {@code n} rows from {@code offset} of the pool; returns something to keep. */
    public interface ScoringPath {
        double call(int offset, int n) throws Exception;
    }

    public record Measured(String path, int batch, double rowsPerSecond, double bestRowsPerSecond, double p50Micros,
            double p99Micros, String rounds) {}

    /** The per-row benchmarks' batch sizes (the Isolation Forest's and the gradient-boosted trees'). */
    public static final int[] PER_ROW_BATCHES = {1, 64, 1024};
    /** Their rows, recycled: a multiple of the largest batch, so no batch wraps around. */
    public static final int PER_ROW_POOL = 16_384;
    /** Rows each path scores per round in those benchmarks. */
    public static final int PER_ROW_ROUND_ROWS = 32_768;
    public static final int PER_ROW_WARM_UP = 4;
    public static final int PER_ROW_ROUNDS = 21;

    private final int pool;
    private final int rowsPerRound;
    private final int warmUp;
    private final int rounds;
    private double kept;

    /**
     * @param pool rows the paths cycle through, a multiple of every batch size
     * @param rowsPerRound rows each path scores per round
     */
    public ScoringRounds(int pool, int rowsPerRound, int warmUp, int rounds) {
        this.pool = pool;
        this.rowsPerRound = rowsPerRound;
        this.warmUp = warmUp;
        this.rounds = rounds;
    }

    /** The rounds of the per-row benchmarks, so that their tables compare. */
    public static ScoringRounds perRow() {
        return new ScoringRounds(PER_ROW_POOL, PER_ROW_ROUND_ROWS, PER_ROW_WARM_UP, PER_ROW_ROUNDS);
    }

    /** Every path at every batch size, in turns. */
    public List<Measured> measure(Map<String, ScoringPath> paths, int... batches) throws Exception {
        List<Measured> results = new ArrayList<>();
        for (int batch : batches) {
            Map<String, List<long[]>> latencies = new LinkedHashMap<>();
            Map<String, double[]> rates = new LinkedHashMap<>();
            paths.keySet().forEach(p -> {
                latencies.put(p, new ArrayList<>());
                rates.put(p, new double[rounds]);
            });
            for (int round = 0; round < warmUp + rounds; round++) {
                for (Map.Entry<String, ScoringPath> p : paths.entrySet()) {
                    long[] calls = new long[rowsPerRound / batch];
                    long elapsed = round(p.getValue(), batch, calls);
                    if (round >= warmUp) {
                        latencies.get(p.getKey()).add(calls);
                        rates.get(p.getKey())[round - warmUp] = rowsPerRound / (elapsed / 1e9);
                    }
                }
            }
            for (String p : paths.keySet()) {
                long[] all = latencies.get(p).stream().flatMapToLong(Arrays::stream).sorted().toArray();
                double[] r = rates.get(p).clone();
                String each = Arrays.stream(r).mapToObj(x -> String.format("%.0f", x / 1e3)).reduce((x, y) -> x + ", " + y).orElse("");
                Arrays.sort(r);
                results.add(new Measured(p, batch, r[rounds / 2], r[rounds - 1], all[(int) (all.length * 0.50)] / 1e3,
                        all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e3, each));
            }
        }
        if (kept == 0) {
            throw new IllegalStateException("the paths returned nothing to keep");
        }
        return results;
    }

    /** Times one round; @return its nanoseconds, with each call's in {@code calls} */
    private long round(ScoringPath path, int batch, long[] calls) throws Exception {
        double keep = 0;
        int offset = 0;
        long start = System.nanoTime();
        for (int c = 0; c < calls.length; c++) {
            long t = System.nanoTime();
            keep += path.call(offset, batch);
            calls[c] = System.nanoTime() - t;
            offset += batch;
            if (offset == pool) {
                offset = 0;
            }
        }
        long elapsed = System.nanoTime() - start;
        kept += keep;
        return elapsed;
    }

    /** The table kept in docs/PERFORMANCE.md, batch by batch, and a floor per row where {@code floor} gives one. */
    public String table(List<Measured> results, Function<Measured, String> floor) {
        StringBuilder table = new StringBuilder("| path | batch | rows/s, median of " + rounds + " rounds | best round | µs per row (median) "
                + "| call p50, µs | call p99, µs |" + (floor == null ? "" : " floor |") + "\n|---|---:|---:|---:|---:|---:|---:|"
                + (floor == null ? "" : "---|") + "\n");
        for (Measured m : results) {
            table.append(String.format("| %s | %d | %s | %s | %.2f | %s | %s |%s%n", m.path(), m.batch(), thousands(m.rowsPerSecond()),
                    thousands(m.bestRowsPerSecond()), 1e6 / m.rowsPerSecond(), micros(m.p50Micros()), micros(m.p99Micros()),
                    floor == null ? "" : " " + floor.apply(m) + " |"));
        }
        StringBuilder each = new StringBuilder("rows/s of each timed round, k:\n");
        results.forEach(m -> each.append(String.format("  %-31s batch %4d: %s%n", m.path(), m.batch(), m.rounds())));
        return table.toString() + each;
    }

    /**
     * ONNX Runtime's environment, loaded while its memory is measured (a row of the {@link Mem}
     * table added to {@code rows}); call it before the heap fills, so that the figure is the library's.
     */
    public static OrtEnvironment ortLoaded(List<String> rows) throws IOException {
        Mem.now();
        Mem settled = Mem.now(); // the second, once the heap has settled
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        rows.add(settled.row("ONNX Runtime loaded (native library, environment)", Mem.now(), 1));
        return env;
    }

    /**
     * ONNX Runtime called the plain way: {@code n} rows of {@code rows} from row {@code offset}
     * wrapped into a float32 tensor of shape [n, rowShape...], one run, the first {@code n} values of
     * the output ONNX Runtime made read back. (The runtime itself keeps its tensors from call to call
     * and pins the output: docs/PERFORMANCE.md, "The output pinned".)
     */
    public static float[] run(OrtEnvironment env, OrtSession session, String input, String output, float[] rows, int offset, int n,
            int... rowShape) throws OrtException {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = n;
        int width = 1;
        for (int i = 0; i < rowShape.length; i++) {
            shape[i + 1] = rowShape[i];
            width *= rowShape[i];
        }
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows, offset * width, n * width), shape);
                OrtSession.Result result = session.run(Map.of(input, x), Set.of(output))) {
            float[] scores = new float[n];
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(scores);
            return scores;
        }
    }

    /** Something done with a freshly opened session while its memory is measured: its first call. */
    public interface SessionUse {
        void accept(OrtSession session) throws Exception;
    }

    /**
     * The memory of a model's sessions, as rows of the {@link Mem} table added to {@code rows}, each
     * step named after {@code model}: its first session opened, that session's first call
     * ({@code firstCall}, named {@code callStep}), then {@code more} further sessions (their mean,
     * closed again).
     *
     * @return the first session, still open
     */
    public static OrtSession sessionsMeasured(OrtEnvironment env, byte[] onnx, String model, String callStep, SessionUse firstCall,
            int more, List<String> rows) throws Exception {
        Mem ready = Mem.now();
        OrtSession session = env.createSession(onnx, options());
        Mem opened = Mem.now();
        rows.add(ready.row(model + ": its first session opened", opened, 1));
        firstCall.accept(session);
        Mem called = Mem.now();
        rows.add(opened.row(model + ": " + callStep, called, 1));
        List<OrtSession> others = new ArrayList<>();
        for (int i = 0; i < more; i++) {
            others.add(env.createSession(onnx, options()));
        }
        rows.add(called.row(model + ": each further session (mean of " + more + ")", Mem.now(), more));
        for (OrtSession other : others) {
            other.close();
        }
        return session;
    }

    /** The same model under another name, its descriptor without {@code featureStats}: a detector that names no evidence. */
    public static ModelDescriptor withoutEvidence(ModelDescriptor d, String name, byte[] onnx) {
        Map<String, Object> training = new LinkedHashMap<>(d.training());
        training.remove("featureStats");
        ModelDescriptor.Builder bare = ModelDescriptor.builder().name(name).version(d.version()).schema(d.schema()).features(d.features())
                .window(d.window()).input(d.input()).output(d.output()).outputMeaning(d.outputMeaning()).calibration(d.calibration())
                .threshold(d.threshold()).onnx(ModelBundleLayout.onnxPath(name, d.version()), onnx).training(training);
        d.outputIndex().ifPresent(bare::outputIndex);
        return bare.build();
    }

    /** As a route calls a detector: {@code score()} for one vector, {@code scoreAll()} for more. */
    public static double through(Detector detector, List<FeatureVector> vectors, int offset, int n) {
        if (n == 1) {
            return detector.score(vectors.get(offset)).value();
        }
        double s = 0;
        for (Score score : detector.scoreAll(vectors.subList(offset, offset + n))) {
            s += score.value();
        }
        return s;
    }

    /** The runtime's session options: one intra-op and one inter-op thread, sequential, all optimisations. */
    public static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return options;
    }

    public static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    /**
     * Used and committed heap after a full collection, and the process's resident set. A collection
     * may give heap back to the system or take more, so the native growth is read as the change of
     * the resident set outside the committed heap.
     */
    public record Mem(long heap, long committed, long rss) {
        public static final String HEADER = "| step | Δ heap used, MB | VmRSS after, MB | Δ VmRSS outside the heap, MB |\n"
                + "|---|---:|---:|---:|\n";

        public static Mem now() throws IOException {
            System.gc();
            System.gc();
            MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
            return new Mem(usage.getUsed(), usage.getCommitted(), rss);
        }

        /** A table row: what {@code step} took from this measure to {@code after}, divided over {@code per} repetitions. */
        public String row(String step, Mem after, int per) {
            return String.format("| %s | %+.3f | %.1f | %+.1f |%n", step, (after.heap - heap) / 1e6 / per, after.rss / 1e6,
                    ((after.rss - after.committed) - (rss - committed)) / 1e6 / per);
        }
    }

    public static String thousands(double rowsPerSecond) {
        return rowsPerSecond >= 1e6 ? String.format("%.2f M", rowsPerSecond / 1e6) : String.format("%.0f k", rowsPerSecond / 1e3);
    }

    public static String micros(double us) {
        return us >= 100 ? String.format("%.0f", us) : String.format("%.1f", us);
    }

    /** The machine's line above a table: cores, CPU model, OS, Java, load average. */
    public static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
        return String.format("machine: %d cores (%s), %s, Java %s; load average: %s", Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name"), System.getProperty("java.version"), loadAverage());
    }

    public static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }
}
