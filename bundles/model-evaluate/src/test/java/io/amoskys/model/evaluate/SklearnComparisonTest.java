package io.amoskys.model.evaluate;

import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.model.evaluate.SklearnIsolationForest.Job;
import io.amoskys.model.iforest.IsolationForestParameters;
import io.amoskys.model.iforest.IsolationForestTrainer;
import io.amoskys.model.iforest.TrainedIsolationForest;
import io.amoskys.model.iforest.TrainingSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our Isolation Forest against scikit-learn's (the reference) on the flow vectors of the
 * real captures in ../shared/data/pcap: the same vectors, the same parameters (100 trees, 256 rows
 * per tree, the same seeds), ROC AUC per attack category (its vectors against the benign ones), in
 * two protocols (docs/DETECTION.md): trained on all benign captures, as the default model is, so that
 * the benign scores are the training rows' own; and leave one benign capture out, where each benign
 * capture is scored by a forest not trained on it. Writes the tables to target/detection/comparison.md, and
 * the amoskys:evaluate report of the default model (seed 1, all benign captures) to target/detection/default-model.txt.
 */
class SklearnComparisonTest {
    /** Seeds 1 to N (N = 10, or -Damoskys.comparison.seeds=N): one seed's AUC varies by a few hundredths on these 60 benign rows. */
    static final long[] SEEDS = LongStream.rangeClosed(1, Long.getLong("amoskys.comparison.seeds", 10)).toArray();
    /** Ours may fall this far below scikit-learn (mean over the seeds) before the test fails: about twice the seed noise of that mean. */
    static final double TOLERANCE = 0.02;
    static final String OVERALL = "all attacks";
    static final int TREES = 100;
    static final int SAMPLE = 256;

    private static CapturedVectors vectors;
    private static String sklearnVersion;

    @BeforeAll
    static void exportTheCapturesVectors() throws Exception {
        sklearnVersion = SklearnIsolationForest.version(); // first: without scikit-learn the test fails at once, saying why
        vectors = CapturedVectors.export(Stages.CAPTURES);
    }

    @Test
    void oursScoresAtLeastAsWellAsScikitLearn() throws Exception {
        Map<String, List<FeatureVector>> byName = vectors.byName();
        assertEquals(1, byName.values().stream().flatMap(List::stream).map(FeatureVector::schema).distinct().count());
        Map<String, double[]> reference = new SklearnIsolationForest(Path.of("target/detection/sklearn"), byName)
                .run(sklearnJobs(), TREES, SAMPLE);

        List<Aucs> allOurs = new ArrayList<>();
        List<Aucs> allSklearn = new ArrayList<>();
        List<Aucs> outOurs = new ArrayList<>();
        List<Aucs> outSklearn = new ArrayList<>();
        Files.createDirectories(Path.of("target/detection"));
        for (long seed : SEEDS) {
            EvaluationReport ours = evaluate(train(null, seed));
            if (seed == IsolationForestParameters.DEFAULTS.seed()) { // the default model, as amoskys:evaluate reports it
                Files.writeString(Path.of("target/detection/default-model.txt"), ReportText.render(ours));
            }
            allOurs.add(Aucs.of(ours));
            allSklearn.add(Aucs.of(EvaluationReport.of("sklearn", sklearnVersion, "flow", "", 0.5,
                    vectors.split(reference.get("all-" + seed), vectors.named(vectors.captures())))));
            outOurs.add(leaveOneOut(heldOut -> ourScores(train(heldOut, foldSeed(seed, heldOut)), heldOut)));
            outSklearn.add(leaveOneOut(heldOut -> vectors.split(reference.get(foldJob(seed, heldOut)), foldScored(heldOut))));
        }
        Aucs allOursMean = Aucs.mean(allOurs);
        Aucs allSklearnMean = Aucs.mean(allSklearn);
        Aucs outOursMean = Aucs.mean(outOurs);
        Aucs outSklearnMean = Aucs.mean(outSklearn);
        String report = String.format("%s; scikit-learn %s; mean over seeds 1 to %d%n%n", vectors.summary(), sklearnVersion, SEEDS.length)
                + ComparisonTable.markdown(vectors.categories(), allOursMean, allSklearnMean, outOursMean, outSklearnMean)
                + ComparisonTable.perSeed(SEEDS, allOurs, allSklearn, outOurs, outSklearn);
        Files.writeString(Path.of("target/detection/comparison.md"), report);
        System.out.print("Isolation Forest, ours against scikit-learn: " + report);

        assertTrue(allOursMean.overall() >= allSklearnMean.overall() - TOLERANCE,
                "trained on all benign captures, ours is more than " + TOLERANCE + " below scikit-learn:\n" + report);
        assertTrue(outOursMean.overall() >= outSklearnMean.overall() - TOLERANCE,
                "leaving one benign capture out, ours is more than " + TOLERANCE + " below scikit-learn:\n" + report);
    }

    /** ROC AUC overall and per attack category. */
    record Aucs(double overall, Map<String, Double> byCategory) {
        static Aucs of(EvaluationReport report) {
            return new Aucs(report.auc(), report.categories().stream()
                    .collect(Collectors.toMap(EvaluationReport.CategoryRow::category, EvaluationReport.CategoryRow::auc)));
        }

        static Aucs mean(List<Aucs> runs) {
            Map<String, Double> byCategory = new TreeMap<>();
            runs.get(0).byCategory().keySet().forEach(category -> byCategory.put(category,
                    runs.stream().mapToDouble(r -> r.byCategory().get(category)).average().orElseThrow()));
            return new Aucs(runs.stream().mapToDouble(Aucs::overall).average().orElseThrow(), byCategory);
        }
    }

    /** scikit-learn's forests: per seed one on all benign captures, and one per held-out benign capture. */
    private static List<Job> sklearnJobs() {
        List<Job> jobs = new ArrayList<>();
        for (long seed : SEEDS) {
            jobs.add(new Job("all-" + seed, seed, trainingNames(null), vectors.named(vectors.captures())));
            for (LabelledCapture heldOut : vectors.benign()) {
                jobs.add(new Job(foldJob(seed, heldOut), foldSeed(seed, heldOut), trainingNames(heldOut), foldScored(heldOut)));
            }
        }
        return jobs;
    }

    /** Protocol 1, ours: through the same code as amoskys:evaluate. */
    private static EvaluationReport evaluate(TrainedIsolationForest model) throws Exception {
        Evaluation evaluation = new Evaluation("iforest", new ForestDetector("1.0.0", model), (capture, sink) -> {
            vectors.of(vectors.captures().stream().filter(c -> c.file().equals(capture)).findFirst().orElseThrow()).forEach(sink);
            return "";
        });
        return evaluation.run(vectors.captures(), "flow", Stages.CAPTURES.toAbsolutePath().normalize().toString(),
                version -> OptionalDouble.of(model.threshold()));
    }

    /** The scores of one held-out benign capture and of every attack capture, under the forest of its fold. */
    @FunctionalInterface
    private interface Fold {
        List<CaptureScores> scores(LabelledCapture heldOut) throws Exception;
    }

    /**
     * Protocol 2: the pairs (attack vector, benign vector), each compared under the forest that was not
     * trained on that benign vector's capture, pooled over the folds: the folds' AUCs weighted by their
     * benign vectors.
     */
    private static Aucs leaveOneOut(Fold fold) throws Exception {
        Map<String, Double> weighted = new TreeMap<>();
        long benign = 0;
        for (LabelledCapture heldOut : vectors.benign()) {
            EvaluationReport report = EvaluationReport.of("fold", "", "flow", "", 0.5, fold.scores(heldOut));
            long weight = report.benignVectors();
            benign += weight;
            weighted.merge(OVERALL, weight * report.auc(), Double::sum);
            report.categories().forEach(c -> weighted.merge(c.category(), weight * c.auc(), Double::sum));
        }
        long total = benign;
        Map<String, Double> byCategory = new TreeMap<>();
        weighted.forEach((category, sum) -> byCategory.put(category, sum / total));
        return new Aucs(byCategory.remove(OVERALL), byCategory);
    }

    private static List<CaptureScores> ourScores(TrainedIsolationForest model, LabelledCapture heldOut) {
        List<LabelledCapture> scored = new ArrayList<>(List.of(heldOut));
        scored.addAll(vectors.attacks());
        return scored.stream().map(c -> new CaptureScores(c, vectors.of(c).stream().mapToDouble(v -> ForestDetector.score(model, v))
                .toArray(), 0)).toList();
    }

    /** Ours, trained on the benign captures but {@code heldOut} (null: all), by name as amoskys:train takes them. */
    private static TrainedIsolationForest train(LabelledCapture heldOut, long seed) {
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, seed);
        vectors.benign().stream().filter(c -> !c.equals(heldOut)).forEach(c -> vectors.of(c).forEach(set));
        return IsolationForestTrainer.train(set, parameters(seed));
    }

    private static IsolationForestParameters parameters(long seed) {
        return new IsolationForestParameters(TREES, SAMPLE, seed);
    }

    /**
     * Each fold's forest has a seed of its own, for both: with one seed for all folds, scikit-learn's
     * folds (nearly the same rows, the same random stream) grow nearly the same forest, and the pooled
     * AUC would carry one forest's luck instead of averaging over the folds.
     */
    private static long foldSeed(long seed, LabelledCapture heldOut) {
        return seed * 1000 + vectors.benign().indexOf(heldOut) + 1;
    }

    private static String foldJob(long seed, LabelledCapture heldOut) {
        return "without-" + heldOut.name() + "-" + seed;
    }

    private static List<String> trainingNames(LabelledCapture heldOut) {
        return vectors.benign().stream().filter(c -> !c.equals(heldOut)).map(LabelledCapture::name).toList();
    }

    /** What a fold scores: the held-out capture, then the attack captures. */
    private static List<String> foldScored(LabelledCapture heldOut) {
        List<LabelledCapture> scored = new ArrayList<>(List.of(heldOut));
        scored.addAll(vectors.attacks());
        return vectors.named(scored);
    }
}
