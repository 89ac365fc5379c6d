package io.amoskys.model.iforest;

import io.amoskys.feature.export.Stages;
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
import io.amoskys.model.runtime.ScoringRounds.Measured;
import io.amoskys.model.runtime.ScoringRounds.Mem;
import io.amoskys.model.runtime.ScoringRounds.ScoringPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Isolation Forest costs per row on one thread, three ways in the same run: (a) its ONNX
 * session called directly the plain way (float32 rows wrapped into a tensor, one call, the
 * scores ONNX Runtime made read back; the runtime keeps its tensors and pins the output instead); (b) the detector the model runtime registers, as a
 * route calls it: {@code score()} at batch 1, {@code scoreAll()} at 64 and 1024 (columns picked by
 * name, NaN check, calibration, evidence, {@code Score} objects, the runtime's counters), and (b')
 * the same for a descriptor without {@code featureStats}, which names no evidence; (c) the Java
 * scorer, the peer without ONNX Runtime. The detector (b) scores a tree model's calls in Java, as
 * the runtime does by default ({@code javaTreeRows}); beside it (b0), the same detector of a
 * runtime set to score every call through ONNX Runtime ({@code javaTreeRows=0}).
 *
 * <p>Rows: the flow vectors that every capture in ../shared/data/pcap (MANIFEST.tsv) makes
 * through the default stages, recycled in capture order to a pool of {@value #POOL} rows. The
 * forest: the trainer's defaults (100 trees, 256 rows each, seed 1), trained on all those vectors
 * so that each tree draws its full 256 rows (depth limit 8); the shipped default model is trained
 * on the benign captures only (fewer rows, shallower trees) and would cost less.
 *
 * <p>Per batch size the three paths take turns, round after round (short rounds, so that a burst
 * of load from elsewhere on the machine falls on all three alike, {@link ScoringRounds#perRow()}):
 * {@value ScoringRounds#PER_ROW_WARM_UP} rounds of warm-up (JIT), then
 * {@value ScoringRounds#PER_ROW_ROUNDS} timed rounds of {@value ScoringRounds#PER_ROW_ROUND_ROWS}
 * rows each. Rows/s is the median round, with the best round beside it; the latency percentiles are over every call
 * of the timed rounds. Memory:
 * used heap after a full collection and the process's VmRSS (/proc/self/status) around loading
 * ONNX Runtime, opening the session and more sessions of the same model.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the tables kept in docs/PERFORMANCE.md.
 */
class ModelBenchmark {
    static final int POOL = ScoringRounds.PER_ROW_POOL;
    static final int MORE_SESSIONS = 16;
    /** The runtime's batch sizes and a small one, where the Java trees begin to walk rows together. */
    static final int[] BATCHES = {1, 4, 64, 1024};

    @TempDir
    Path folder;

    @Test
    void scoringCostPerRowOnOneThread() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        Path manifest = Stages.CAPTURES.resolve(TrainingSources.MANIFEST);
        assumeTrue(Files.exists(manifest), manifest + " missing");
        System.out.println(ScoringRounds.machine());

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
        OrtEnvironment env = ScoringRounds.ortLoaded(memory);
        OrtSession session = ScoringRounds.sessionsMeasured(env, model.onnx(), "iforest", "its first call of 1024 rows",
                first -> ort(env, first, flat, 0, 1024, width), MORE_SESSIONS, memory);
        Mem closed = Mem.now();
        RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder);
        ModelDescriptor descriptor = IsolationForestDescriptors.describe(model, "iforest", "1.0.0", Map.of());
        Detector detector = runtime.start(descriptor, model.onnx());
        Mem loaded = Mem.now();
        assertTrue(runtime.javaTreeRows("iforest") > 0, "the forest's trees pass the probe rows");
        RuntimeOutsideOsgi ortOnly = new RuntimeOutsideOsgi(folder.resolve("ort-only"), 0, 0);
        Detector ortDetector = ortOnly.start(descriptor, model.onnx());
        assertEquals(0, ortOnly.javaTreeRows("iforest"));
        memory.add(closed.row("iforest: the model bundle loaded by the runtime (signature, session, trial row)", loaded, 1));
        // The same model under another name, its descriptor without featureStats: what the evidence costs.
        Detector bare = runtime.start(ScoringRounds.withoutEvidence(descriptor, "iforest-bare", model.onnx()), model.onnx());
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
        List<Score> ortDetectorScores = ortDetector.scoreAll(vectors.subList(1024, 2048));
        for (int i = 0; i < 1024; i++) { // and one row a call
            double java = forest.score(wide[1024 + i]);
            maxDifference = Math.max(maxDifference, Math.abs(java - ortDetectorScores.get(i).value()));
            maxDifference = Math.max(maxDifference, Math.abs(java - detector.score(vectors.get(1024 + i)).value()));
            maxDifference = Math.max(maxDifference, Math.abs(java - ortDetector.score(vectors.get(1024 + i)).value()));
        }
        assertTrue(maxDifference <= IsolationForestTest.TOLERANCE, "the paths disagree by " + maxDifference);
        assertEquals(3, detectorScores.get(0).topContributions().size(), "the model names its evidence");
        assertTrue(bareScores.get(0).topContributions().isEmpty(), "the model without featureStats names none");

        Map<String, ScoringPath> paths = new LinkedHashMap<>();
        paths.put("(a) ONNX Runtime session", (offset, n) -> ScoringRounds.sum(ort(env, session, flat, offset, n, width)));
        paths.put("(b) model runtime detector", (offset, n) -> ScoringRounds.through(detector, vectors, offset, n));
        paths.put("(b') detector without evidence", (offset, n) -> ScoringRounds.through(bare, vectors, offset, n));
        paths.put("(b0) detector, javaTreeRows=0", (offset, n) -> ScoringRounds.through(ortDetector, vectors, offset, n));
        paths.put("(c) Java scorer (peer)", (offset, n) -> {
            double s = 0;
            for (int i = offset; i < offset + n; i++) {
                s += forest.score(wide[i]);
            }
            return s;
        });
        ScoringRounds rounds = ScoringRounds.perRow();
        List<Measured> results = rounds.measure(paths, BATCHES);
        session.close();
        runtime.close();
        ortOnly.close();

        System.out.print(rounds.table(results, null));
        System.out.print(Mem.HEADER);
        memory.forEach(System.out::print);
        System.out.printf("paths agree within %.2g; load average at the end: %s%n", maxDifference, ScoringRounds.loadAverage());
    }
    /** The forest's session on {@code n} rows from row {@code offset}, called the plain way. */
    private static float[] ort(OrtEnvironment env, OrtSession session, float[] flat, int offset, int n, int width) throws OrtException {
        return ScoringRounds.run(env, session, IsolationForestOnnx.INPUT, IsolationForestOnnx.OUTPUT, flat, offset, n, width);
    }

    private static List<String> captures(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest);
        int file = Arrays.asList(lines.get(0).split("\t")).indexOf("file");
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")[file]).toList();
    }
}
