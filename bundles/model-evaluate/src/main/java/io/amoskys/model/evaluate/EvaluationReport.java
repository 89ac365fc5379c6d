package io.amoskys.model.evaluate;

import io.amoskys.model.format.RocAuc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

/**
 * What {@code amoskys:evaluate} reports: ROC AUC over vectors (attack against benign) overall and
 * per attack category (its vectors against all benign ones), the verdicts at the model's threshold
 * (a score at or above it is anomalous), and each capture's detection.
 *
 * @param auc NaN when there are no attack or no benign vectors
 */
public record EvaluationReport(String model, String version, String kind, String data, double threshold, double auc,
        long attackVectors, long benignVectors, long unscored, List<CategoryRow> categories, Verdicts atThreshold,
        List<CaptureRow> captures) {

    /** @param vectors scored vectors of the category's captures */
    public record CategoryRow(String category, int captures, long vectors, double auc) {}

    /** Vector counts at the threshold: attack vectors are the positives. */
    public record Verdicts(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
        /** NaN when nothing was flagged. */
        public double precision() {
            return (double) truePositives / (truePositives + falsePositives);
        }

        /** NaN when there are no attack vectors. */
        public double recall() {
            return (double) truePositives / (truePositives + falseNegatives);
        }
    }

    /** @param flagged whether any of the capture's vectors reached the threshold */
    public record CaptureRow(String capture, String category, boolean benign, long vectors, long unscored, double maxScore,
            boolean flagged) {}

    public static EvaluationReport of(String model, String version, String kind, String data, double threshold,
            List<CaptureScores> scored) {
        double[] benign = scores(scored.stream().filter(c -> c.capture().benign()).toList());
        List<CaptureScores> attacks = scored.stream().filter(c -> !c.capture().benign()).toList();
        double[] attack = scores(attacks);

        Map<String, List<CaptureScores>> byCategory = new TreeMap<>();
        attacks.forEach(c -> byCategory.computeIfAbsent(c.capture().category(), k -> new ArrayList<>()).add(c));
        List<CategoryRow> categories = new ArrayList<>();
        byCategory.forEach((category, captures) -> {
            double[] s = scores(captures);
            categories.add(new CategoryRow(category, captures.size(), s.length, RocAuc.of(s, benign)));
        });

        long tp = atOrAbove(attack, threshold);
        long fp = atOrAbove(benign, threshold);
        Verdicts verdicts = new Verdicts(tp, fp, attack.length - tp, benign.length - fp);

        List<CaptureRow> captures = scored.stream().map(c -> new CaptureRow(c.capture().name(), c.capture().category(),
                c.capture().benign(), c.scores().length, c.unscored(), c.max(), atOrAbove(c.scores(), threshold) > 0)).toList();
        long unscored = scored.stream().mapToLong(CaptureScores::unscored).sum();
        return new EvaluationReport(model, version, kind, data, threshold, RocAuc.of(attack, benign), attack.length, benign.length,
                unscored, List.copyOf(categories), verdicts, captures);
    }

    private static double[] scores(List<CaptureScores> captures) {
        return captures.stream().flatMapToDouble(c -> Arrays.stream(c.scores())).toArray();
    }

    private static long atOrAbove(double[] scores, double threshold) {
        return DoubleStream.of(scores).filter(s -> s >= threshold).count();
    }
}
