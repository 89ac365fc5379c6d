package io.amoskys.model.evaluate;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Replays labelled captures through a detector: each capture's vectors (made by the source, through
 * fresh copies of the stages) are scored in batches, and only the scores are kept, so memory stays
 * bounded by the number of vectors. The threshold is the one of the model version that answered.
 */
public final class Evaluation {
    /** Vectors per {@link Detector#scoreAll} call: ONNX models gain from batching. */
    static final int BATCH = 256;

    /** A capture's feature vectors, one at a time. */
    @FunctionalInterface
    public interface VectorSource {
        /** @return one line saying what the capture amounted to */
        String vectors(Path capture, Consumer<FeatureVector> sink) throws IOException;
    }

    /** The verdict threshold of a version of the evaluated model, empty when it is not known. */
    @FunctionalInterface
    public interface Thresholds {
        OptionalDouble of(String version);
    }

    private final String model;
    private final Detector detector;
    private final VectorSource source;

    public Evaluation(String model, Detector detector, VectorSource source) {
        this.model = model;
        this.detector = detector;
        this.source = source;
    }

    /** @param data the folder the captures come from, as the report names it */
    public EvaluationReport run(List<LabelledCapture> captures, String kind, String data, Thresholds thresholds) throws IOException {
        List<CaptureScores> scored = new ArrayList<>();
        Set<String> versions = new TreeSet<>();
        long vectors = 0;
        for (LabelledCapture capture : captures) {
            Collector collector = new Collector(versions);
            source.vectors(capture.file(), collector);
            collector.flush();
            scored.add(new CaptureScores(capture, collector.scores.stream().mapToDouble(Double::doubleValue).toArray(),
                    collector.unscored));
            vectors += collector.scores.size() + collector.unscored;
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException(model + " scored none of the " + vectors + " " + kind + " vectors of " + data
                    + " (vectors of another schema, or with values that are not finite, get no score: see amoskys:models)");
        }
        if (versions.size() > 1) {
            throw new IllegalStateException("the active version of " + model + " changed during the evaluation (" + versions
                    + " answered): evaluate again");
        }
        String version = versions.iterator().next();
        double threshold = thresholds.of(version).orElseThrow(() -> new IllegalStateException(
                "no threshold known for " + model + " " + version + ": is it a model of the model runtime (amoskys:models)?"));
        return EvaluationReport.of(model, version, kind, data, threshold, scored);
    }

    /** Scores vectors in batches as they come; keeps the values and the versions that answered. */
    private final class Collector implements Consumer<FeatureVector> {
        private final Set<String> versions;
        private final List<FeatureVector> batch = new ArrayList<>(BATCH);
        private final List<Double> scores = new ArrayList<>();
        private long unscored;

        Collector(Set<String> versions) {
            this.versions = versions;
        }

        @Override
        public void accept(FeatureVector vector) {
            batch.add(vector);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            for (Score score : detector.scoreAll(batch)) {
                if (score == null) {
                    unscored++;
                } else {
                    scores.add(score.value());
                    versions.add(score.modelVersion());
                }
            }
            batch.clear();
        }
    }
}
