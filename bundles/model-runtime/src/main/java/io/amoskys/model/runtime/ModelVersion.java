package io.amoskys.model.runtime;

import ai.onnxruntime.OrtException;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelDescriptor;
import java.util.List;

/**
 * One loaded version of a model: turns feature vectors into scores through its ONNX session.
 * Vectors it cannot score honestly (another schema, a missing feature, a NaN or infinite value)
 * get no score and never reach ONNX Runtime; an ONNX Runtime failure costs only that call. A
 * sequence model (descriptor {@code window} W > 1) scores each vector with the window of its
 * entity's last W vectors ending at it ({@link EntityWindows}); a vector it cannot score does not
 * enter the window.
 */
final class ModelVersion implements LoadOutcome, AutoCloseable {
    /** The answer to one batch: a score or {@code null} per vector, and the time spent in ONNX Runtime. */
    record Scored(Score[] scores, long ortNanos, boolean closed) {}

    final ModelDescriptor descriptor;
    final long bundleId;
    final String keyId;
    final VersionStats stats = new VersionStats();
    private final OrtModel model;
    private final FeatureColumns columns;
    private final Evidence evidence;
    private final ErrorLog errorLog;
    /** The entities' last vectors, for a sequence model; null for a model of single vectors. */
    final EntityWindows windows;

    ModelVersion(ModelDescriptor descriptor, OrtModel model, long bundleId, String keyId, long errorLogNanos) {
        this(descriptor, model, bundleId, keyId, errorLogNanos, RuntimeSettings.DEFAULT_WINDOW_ENTITIES);
    }

    ModelVersion(ModelDescriptor descriptor, OrtModel model, long bundleId, String keyId, long errorLogNanos,
            int windowEntities) {
        this.descriptor = descriptor;
        this.model = model;
        this.bundleId = bundleId;
        this.keyId = keyId;
        this.columns = new FeatureColumns(descriptor.features());
        this.evidence = new Evidence(descriptor);
        this.errorLog = new ErrorLog(descriptor.name() + " " + descriptor.version(), errorLogNanos);
        this.windows = descriptor.window() == 1 ? null
                : new EntityWindows(descriptor.window(), descriptor.features().size(), windowEntities);
    }

    String name() {
        return descriptor.name();
    }

    String version() {
        return descriptor.version();
    }

    Scored score(List<FeatureVector> vectors) {
        Score[] scores = new Score[vectors.size()];
        int width = model.width();
        int limit = model.batchLimit();
        float[] rows = new float[Math.min(vectors.size(), limit) * width];
        float[] vector = windows == null ? null : new float[descriptor.features().size()];
        int[] positions = new int[Math.min(vectors.size(), limit)];
        int count = 0;
        long ortNanos = 0;
        for (int i = 0; i < vectors.size(); i++) {
            if (windows == null ? fill(vectors.get(i), rows, count * width)
                    : fillWindow(vectors.get(i), vector, rows, count * width)) {
                positions[count++] = i;
            }
            if (count == limit || (i == vectors.size() - 1 && count > 0)) {
                long nanos = run(vectors, rows, positions, count, scores);
                if (nanos < 0) {
                    return new Scored(scores, ortNanos, true);
                }
                ortNanos += nanos;
                count = 0;
            }
        }
        return new Scored(scores, ortNanos, false);
    }

    /** Copies the vector's model columns into {@code rows} at {@code offset}; false when it cannot be scored. */
    private boolean fill(FeatureVector vector, float[] rows, int offset) {
        if (!descriptor.schema().equals(vector.schema().name())) {
            stats.otherSchema.increment();
            return false;
        }
        FeatureColumns.Mapping mapping = columns.of(vector.schema());
        if (mapping.columns() == null) {
            refuse(ScoringError.MISSING_FEATURE, 1, "schema " + vector.schema().name() + " v" + vector.schema().version()
                    + " has no feature '" + mapping.missing() + "'");
            return false;
        }
        int[] source = mapping.columns();
        for (int j = 0; j < source.length; j++) {
            float value = (float) vector.get(source[j]);
            if (!Float.isFinite(value)) {
                refuse(ScoringError.NON_FINITE, 1, "feature '" + descriptor.features().get(j) + "' is "
                        + vector.get(source[j]) + " in a vector of " + vector.entityId()
                        + (windows == null ? "" : "; the vector is left out of the entity's window of " + descriptor.window()));
                return false;
            }
            rows[offset + j] = value;
        }
        return true;
    }

    /**
     * Checks the vector's model columns as {@link #fill} does, then adds it to its entity's window
     * and copies that window into {@code rows} at {@code offset}; false when it cannot be scored
     * (it then stays out of the window).
     */
    private boolean fillWindow(FeatureVector v, float[] vector, float[] rows, int offset) {
        if (!fill(v, vector, 0)) {
            return false;
        }
        windows.add(v.entityId(), vector, 0, rows, offset);
        return true;
    }

    /** One ONNX Runtime call; @return its nanoseconds, or -1 when the model was closed meanwhile */
    private long run(List<FeatureVector> vectors, float[] rows, int[] positions, int count, Score[] scores) {
        long start = System.nanoTime();
        float[] raw;
        try {
            raw = model.run(rows, count);
        } catch (OrtException | RuntimeException e) {
            refuse(ScoringError.ORT_ERROR, count, String.valueOf(e.getMessage()));
            return System.nanoTime() - start;
        }
        if (raw == null) {
            return -1;
        }
        long nanos = System.nanoTime() - start;
        stats.call(nanos);
        for (int k = 0; k < count; k++) {
            double value = descriptor.calibration().apply(raw[k]);
            if (Double.isNaN(value)) {
                refuse(ScoringError.BAD_OUTPUT, 1, "the raw score is NaN");
                continue;
            }
            FeatureVector vector = vectors.get(positions[k]);
            scores[positions[k]] = Score.builder()
                    .detector(descriptor.name())
                    .modelVersion(descriptor.version())
                    .about(vector)
                    .value(value)
                    .topContributions(evidence.top(rows, (k + 1) * model.width() - descriptor.features().size()))
                    .build();
            stats.scored(value);
        }
        return nanos;
    }

    private void refuse(ScoringError reason, int rows, String detail) {
        stats.error(reason, rows);
        errorLog.error(reason, rows, detail);
    }

    boolean flags(Score score) {
        return score.value() >= descriptor.threshold();
    }

    @Override
    public void close() {
        model.close();
    }
}
