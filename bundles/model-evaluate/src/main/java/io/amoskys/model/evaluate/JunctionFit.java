package io.amoskys.model.evaluate;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.junction.fit.WeightFitter;
import io.amoskys.model.format.RocAuc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Learns the score junction's weights from labelled replays: every vector of every capture is
 * scored by each detector, a row keeps each detector's margin (score minus its threshold) and
 * whether the capture is an attack, and {@link WeightFitter} fits the weights and bias. Reports
 * the ROC AUC of each detector alone and of the fused threat with the fitted weights, on the
 * same rows (an in-sample figure: it says the fusion is no worse than its best member, not how
 * it generalises). Rows are capped; past the cap every other row is kept, so memory stays bounded.
 */
public final class JunctionFit {
    /** Enough rows for a handful of weights; more only costs memory. */
    public static final int MAX_ROWS = 200_000;

    /** The fit and the AUCs: per detector alone, and fused. */
    public record Result(WeightFitter.Fit fit, Map<String, Double> aucAlone, double aucFused, long vectors, long attackRows) {}

    private final Map<String, Detector> detectors;
    private final ToDoubleFunction<String> thresholds;
    private final Evaluation.VectorSource source;

    /** @param detectors by name, in the order they are reported */
    public JunctionFit(Map<String, Detector> detectors, ToDoubleFunction<String> thresholds, Evaluation.VectorSource source) {
        this.detectors = new LinkedHashMap<>(detectors);
        this.thresholds = thresholds;
        this.source = source;
    }

    public Result run(List<LabelledCapture> captures) throws IOException {
        List<WeightFitter.Row> rows = new ArrayList<>();
        long[] vectors = {0};
        int[] stride = {1};
        for (LabelledCapture capture : captures) {
            List<FeatureVector> batch = new ArrayList<>(Evaluation.BATCH);
            Runnable flush = () -> {
                score(batch, !capture.benign(), rows, vectors[0], stride);
                vectors[0] += batch.size();
                batch.clear();
            };
            source.vectors(capture.file(), v -> {
                batch.add(v);
                if (batch.size() == Evaluation.BATCH) {
                    flush.run();
                }
            });
            flush.run();
        }
        WeightFitter.Fit fit = new WeightFitter(1e-3).fit(rows);
        Map<String, Double> alone = new LinkedHashMap<>();
        for (String d : detectors.keySet()) {
            alone.put(d, auc(rows, r -> r.margins().getOrDefault(d, Double.NEGATIVE_INFINITY)));
        }
        double fused = auc(rows, r -> {
            double logOdds = fit.bias();
            for (Map.Entry<String, Double> m : r.margins().entrySet()) {
                logOdds += fit.weights().getOrDefault(m.getKey(), 0.0) * m.getValue();
            }
            return logOdds;
        });
        return new Result(fit, alone, fused, vectors[0], rows.stream().filter(WeightFitter.Row::attack).count());
    }

    private void score(List<FeatureVector> batch, boolean attack, List<WeightFitter.Row> rows, long seen, int[] stride) {
        if (batch.isEmpty()) {
            return;
        }
        List<Map<String, Double>> margins = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            margins.add(new LinkedHashMap<>());
        }
        detectors.forEach((name, detector) -> {
            List<Score> scores = detector.scoreAll(batch);
            double threshold = thresholds.applyAsDouble(name);
            for (int i = 0; i < scores.size(); i++) {
                if (scores.get(i) != null) {
                    margins.get(i).put(name, scores.get(i).value() - threshold);
                }
            }
        });
        for (int i = 0; i < margins.size(); i++) {
            if (margins.get(i).isEmpty() || (seen + i) % stride[0] != 0) {
                continue;
            }
            rows.add(new WeightFitter.Row(margins.get(i), attack));
            if (rows.size() >= MAX_ROWS) { // thin out: keep every other row, and from now on every other vector
                List<WeightFitter.Row> kept = new ArrayList<>(rows.size() / 2 + 1);
                for (int r = 0; r < rows.size(); r += 2) {
                    kept.add(rows.get(r));
                }
                rows.clear();
                rows.addAll(kept);
                stride[0] *= 2;
            }
        }
    }

    private static double auc(List<WeightFitter.Row> rows, ToDoubleFunction<WeightFitter.Row> score) {
        double[] attacks = rows.stream().filter(WeightFitter.Row::attack).mapToDouble(score).toArray();
        double[] benign = rows.stream().filter(r -> !r.attack()).mapToDouble(score).toArray();
        return RocAuc.of(attacks, benign);
    }
}
