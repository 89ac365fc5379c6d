package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.amoskys.feature.export.Stages;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import io.amoskys.model.runtime.ScoringRounds;
import io.amoskys.model.runtime.ScoringRounds.Measured;
import io.amoskys.model.runtime.ScoringRounds.Mem;
import io.amoskys.model.runtime.ScoringRounds.ScoringPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shipped gradient-boosted trees (bundles/models/gbt, the default recipe's model, checked
 * here to be the committed file byte for byte) cost per row on one thread, four ways in the same
 * run: (a) its ONNX session called directly the plain way (a tensor per call); (b) the
 * detector the model runtime registers for the signed bundle with the shipped descriptor, as a
 * route calls it ({@code score()} at batch 1, {@code scoreAll()} at 64 and 1024: columns picked by
 * name, NaN check, evidence, {@code Score}s, the runtime's counters), and (b') the same without
 * {@code featureStats}, which names no evidence, and (b0) the detector of a runtime set to score
 * every call through ONNX Runtime ({@code javaTreeRows=0}; by default the runtime scores a tree
 * model's calls in Java); (c) the peer: XGBoost's own predictor on the
 * booster the recipe trained (xgboost4j, a {@code DMatrix} of the batch per call, as a Java
 * caller of XGBoost scores rows), one thread.
 *
 * <p>Rows: the flow vectors of every capture in ../shared/data/pcap through the default stages,
 * recycled in capture order to {@value #POOL}. Rounds as in the Isolation Forest's benchmark
 * ({@link ScoringRounds#perRow()}): {@value ScoringRounds#PER_ROW_WARM_UP} of warm-up, then
 * {@value ScoringRounds#PER_ROW_ROUNDS} timed rounds of {@value ScoringRounds#PER_ROW_ROUND_ROWS}
 * rows per path and batch size. The floor of ../shared/STACK.md, at least 290 k rows/s batched, is
 * read against the detector, the path routes take.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the tables kept in docs/PERFORMANCE.md.
 */
class GbtBenchmark {
    static final int POOL = ScoringRounds.PER_ROW_POOL;
    static final int MORE_SESSIONS = 16;
    /** ../shared/STACK.md: gradient-boosted trees, rows/s at batch 64 and 1024. */
    static final double FLOOR_BATCHED = 290_000;
    static final Path SHIPPED = Path.of("../models/gbt/src/main/model");

    @TempDir
    Path folder;

    @Test
    void scoringCostPerRowOnOneThread() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        System.out.println(ScoringRounds.machine());
        // Memory first, on the shipped files, while the heap is still small: training and the
        // captures' vectors come next, and the collector's work on their garbage would blur it.
        ModelDescriptor shipped = ModelDescriptor.parse(Files.readAllBytes(SHIPPED.resolve("gbt.json")));
        byte[] onnx = Files.readAllBytes(SHIPPED.resolve(Path.of(shipped.onnx()).getFileName()));
        int width = shipped.features().size();
        List<String> memory = new ArrayList<>();
        OrtEnvironment env = ScoringRounds.ortLoaded(memory);
        float[] zeros = new float[1024 * width];
        OrtSession session = ScoringRounds.sessionsMeasured(env, onnx, "gbt", "its first call of 1024 rows",
                first -> ort(env, first, zeros, 0, 1024, width), MORE_SESSIONS, memory);
        Mem closed = Mem.now();
        RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder);
        Detector detector = runtime.start(shipped, onnx);
        memory.add(closed.row("gbt: the model bundle loaded by the runtime (signature, session, trial row)", Mem.now(), 1));
        Detector bare = runtime.start(ScoringRounds.withoutEvidence(shipped, "gbt-bare", onnx), onnx);
        assertTrue(runtime.javaTreeRows("gbt") > 0, "the boosted trees pass the probe rows");
        RuntimeOutsideOsgi ortOnly = new RuntimeOutsideOsgi(folder.resolve("ort-only"), 0, 0);
        Detector ortDetector = ortOnly.start(shipped, onnx);

        // The booster for the peer: the default recipe's, which must be the shipped model.
        TrainedGbt model = GbtTrainer.train(Captures.all(), GbtParameters.DEFAULTS);
        assertArrayEquals(onnx, model.onnx(), "the recipe trains the shipped model");
        assertEquals(shipped.features(), model.features());

        // The rows: every capture's flow vectors, on one schema object as on the live stream.
        List<FeatureVector> real = new ArrayList<>();
        for (String capture : Captures.all().groups().stream().distinct().toList()) {
            Stages.exports().vectors(Stages.flowAgent(), Stages.CAPTURES.resolve(capture), Captures.KIND, real::add);
        }
        FeatureSchema schema = real.get(0).schema();
        int[] columns = model.features().stream().mapToInt(schema::indexOf).toArray();
        List<FeatureVector> usable = real.stream().filter(v -> v.schema().equals(schema)
                && Arrays.stream(columns).allMatch(c -> Float.isFinite((float) v.get(c)))).toList();
        List<FeatureVector> vectors = new ArrayList<>(POOL);
        float[] flat = new float[POOL * width];
        for (int r = 0; r < POOL; r++) {
            FeatureVector v = usable.get(r % usable.size());
            vectors.add(new FeatureVector(schema, v.entityId(), v.timestampNanos(), v.toArray(), v.sourceEventIds()));
            for (int j = 0; j < width; j++) {
                flat[r * width + j] = (float) v.get(columns[j]);
            }
        }
        int nodes = model.trees().trees().stream().mapToInt(BoostedTrees.Tree::size).sum();
        System.out.printf("rows: %d flow vectors (%d with non-finite model features left out), recycled to %d; model: %d trees, "
                + "%d nodes, %d of %d features, ONNX %d bytes%n", real.size(), real.size() - usable.size(), POOL,
                model.trees().trees().size(), nodes, width, schema.size(), model.onnx().length);

        // The paths agree before they are timed.
        float[] ortScores = ort(env, session, flat, 1024, 1024, width);
        float[] xgbScores = xgboost(model, flat, 1024, 1024, width);
        List<Score> detectorScores = detector.scoreAll(vectors.subList(1024, 2048));
        List<Score> bareScores = bare.scoreAll(vectors.subList(1024, 2048));
        double maxDifference = 0;
        for (int i = 0; i < 1024; i++) {
            assertNotNull(detectorScores.get(i), "row " + i);
            double xgb = xgbScores[i];
            maxDifference = Math.max(maxDifference, Math.max(Math.abs(xgb - ortScores[i]), Math.abs(xgb - detectorScores.get(i).value())));
            maxDifference = Math.max(maxDifference, Math.abs(xgb - bareScores.get(i).value()));
        }
        for (int i = 0; i < 1024; i++) { // one row a call: the Java trees, and ONNX Runtime
            maxDifference = Math.max(maxDifference, Math.abs(xgbScores[i] - detector.score(vectors.get(1024 + i)).value()));
            maxDifference = Math.max(maxDifference, Math.abs(xgbScores[i] - ortDetector.score(vectors.get(1024 + i)).value()));
        }
        List<Score> ortDetectorScores = ortDetector.scoreAll(vectors.subList(1024, 2048));
        for (int i = 0; i < 1024; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(xgbScores[i] - ortDetectorScores.get(i).value()));
        }
        assertTrue(maxDifference <= 1e-6, "the paths disagree by " + maxDifference);
        assertEquals(3, detectorScores.get(0).topContributions().size(), "the shipped model names its evidence");
        assertTrue(bareScores.get(0).topContributions().isEmpty(), "the model without featureStats names none");

        Map<String, ScoringPath> paths = new LinkedHashMap<>();
        paths.put("(a) ONNX Runtime session", (offset, n) -> ScoringRounds.sum(ort(env, session, flat, offset, n, width)));
        paths.put("(b) model runtime detector", (offset, n) -> ScoringRounds.through(detector, vectors, offset, n));
        paths.put("(b') detector without evidence", (offset, n) -> ScoringRounds.through(bare, vectors, offset, n));
        paths.put("(b0) detector, javaTreeRows=0", (offset, n) -> ScoringRounds.through(ortDetector, vectors, offset, n));
        paths.put("(c) XGBoost predict (peer)", (offset, n) -> ScoringRounds.sum(xgboost(model, flat, offset, n, width)));
        ScoringRounds rounds = ScoringRounds.perRow();
        List<Measured> results = rounds.measure(paths, ScoringRounds.PER_ROW_BATCHES);
        session.close();
        runtime.close();
        ortOnly.close();
        model.booster().dispose();

        System.out.print(rounds.table(results, m -> m.batch() == 1 || !m.path().startsWith("(b)") ? ""
                : String.format("≥ 290 k: %s", m.rowsPerSecond() >= FLOOR_BATCHED ? "met" : "not met")));
        System.out.print(Mem.HEADER);
        memory.forEach(System.out::print);
        System.out.printf("paths agree within %.2g; load average at the end: %s%n", maxDifference, ScoringRounds.loadAverage());
    }
    /** The model's session on {@code n} rows from row {@code offset}, called the plain way. */
    private static float[] ort(OrtEnvironment env, OrtSession session, float[] flat, int offset, int n, int width) throws OrtException {
        return ScoringRounds.run(env, session, GbtOnnx.INPUT, GbtOnnx.OUTPUT, flat, offset, n, width);
    }

    /** XGBoost's predictor on the booster: the batch's rows into a DMatrix (NaN missing), one predict. */
    private static float[] xgboost(TrainedGbt model, float[] flat, int offset, int n, int width) throws XGBoostError {
        DMatrix matrix = new DMatrix(Arrays.copyOfRange(flat, offset * width, (offset + n) * width), n, width, Float.NaN);
        try {
            float[][] predictions = model.booster().predict(matrix);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = predictions[i][0];
            }
            return scores;
        } finally {
            matrix.dispose();
        }
    }
}
