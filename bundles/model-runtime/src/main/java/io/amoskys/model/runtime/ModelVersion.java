package io.amoskys.model.runtime;

import ai.onnxruntime.OrtException;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelDescriptor;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;

/**
 * One loaded version of a model: turns feature vectors into scores through its ONNX session.
 * Vectors it cannot score honestly (another schema, a missing feature, a NaN or infinite value)
 * get no score and never reach ONNX Runtime; an ONNX Runtime failure costs only that call. A
 * sequence model (descriptor {@code window} W > 1) adds each vector to its entity's last W vectors
 * ({@link EntityWindows}) and scores the window ending at it when due at its {@link #stride}; a
 * vector whose window is not due gets no score (counted as skipped, not an error), and one it
 * cannot score does not enter the window.
 */
final class ModelVersion implements LoadOutcome, AutoCloseable {
    /**
     * The answer to one batch: a score or {@code null} per vector, which vectors were skipped (their
     * window not due; {@code null} when none was), and the time spent in scoring calls.
     */
    record Scored(Score[] scores, boolean[] skipped, long callNanos, boolean closed) {}

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
    /** A sequence model's window is scored every {@code stride} vectors of an entity (windowStride); 1 otherwise. */
    final int stride;
    /** Rows of a finished call for the next call (see {@link #rows}). */
    private final AtomicReference<float[]> spareRows = new AtomicReference<>();

    /** @param stride for a sequence model: the resolved windowStride (RuntimeSettings.strideFor) */
    ModelVersion(ModelDescriptor descriptor, OrtModel model, long bundleId, String keyId, long errorLogNanos,
            int windowEntities, int stride) {
        this.descriptor = descriptor;
        this.model = model;
        this.bundleId = bundleId;
        this.keyId = keyId;
        this.columns = new FeatureColumns(descriptor.schema(), descriptor.features());
        this.evidence = new Evidence(descriptor);
        this.errorLog = new ErrorLog(descriptor.name() + " " + descriptor.version(), errorLogNanos);
        this.windows = descriptor.window() == 1 ? null
                : new EntityWindows(descriptor.window(), descriptor.features().size(), windowEntities);
        if (stride < 1) {
            throw new IllegalArgumentException("stride " + stride + " < 1");
        }
        this.stride = windows == null ? 1 : stride;
    }

    String name() {
        return descriptor.name();
    }

    String version() {
        return descriptor.version();
    }

    /** Scores each vector whose window is due at {@code stride} (1: every one); a model of single vectors scores all. */
    Scored score(List<FeatureVector> vectors, int stride) {
        return score(vectors, i -> stride);
    }

    /**
     * Scores the vectors another version scored (a shadow following its active version, so that
     * both are compared on the same windows): all but those {@code skipped} marks ({@code null}: all).
     * Skipped vectors still enter this version's windows.
     */
    Scored follow(List<FeatureVector> vectors, boolean[] skipped) {
        return score(vectors, i -> skipped != null && skipped[i] ? EntityWindows.NEVER : 1);
    }

    /** @param strides each vector's stride, by its index */
    private Scored score(List<FeatureVector> vectors, IntUnaryOperator strides) {
        Score[] scores = new Score[vectors.size()];
        boolean[] skipped = new boolean[vectors.size()];
        boolean anySkipped = false;
        int width = model.width();
        int limit = model.batchLimit();
        float[] rows = rows(Math.min(vectors.size(), limit) * width);
        float[] vector = windows == null ? null : new float[descriptor.features().size()];
        int[] positions = new int[Math.min(vectors.size(), limit)];
        int count = 0;
        long callNanos = 0;
        for (int i = 0; i < vectors.size(); i++) {
            int stride = strides.applyAsInt(i);
            Row row = windows == null ? single(vectors.get(i), stride, rows, count * width)
                    : fillWindow(vectors.get(i), stride, vector, rows, count * width);
            if (row == Row.FILLED) {
                positions[count++] = i;
            } else if (row == Row.SKIPPED) {
                skipped[i] = true;
                anySkipped = true;
                stats.skipped.increment();
            }
            if (count == limit || (i == vectors.size() - 1 && count > 0)) {
                long nanos = run(vectors, rows, positions, count, scores);
                if (nanos < 0) {
                    return new Scored(scores, anySkipped ? skipped : null, callNanos, true);
                }
                callNanos += nanos;
                count = 0;
            }
        }
        spareRows.set(rows);
        return new Scored(scores, anySkipped ? skipped : null, callNanos, false);
    }

    /**
     * The last call's rows, when no other call holds them and they are large enough, else new ones:
     * a sequence model's call of 256 vectors would otherwise make and zero about a megabyte of rows
     * (W × F floats for each vector whose window might be due); that and the schema's name compared
     * for every vector were most of what the detector itself spent per vector beside the model
     * (docs/PERFORMANCE.md). One spare per version: at most maxBatch rows.
     */
    private float[] rows(int size) {
        float[] spare = spareRows.getAndSet(null);
        return spare != null && spare.length >= size ? spare : new float[size];
    }

    /** What became of a vector: a row to score, skipped (its window not due), or refused. */
    private enum Row { FILLED, SKIPPED, REFUSED }

    /** A model of single vectors: skipped only when following a version that skipped it. */
    private Row single(FeatureVector vector, int stride, float[] rows, int offset) {
        if (stride == EntityWindows.NEVER) {
            return Row.SKIPPED;
        }
        return fill(vector, rows, offset) ? Row.FILLED : Row.REFUSED;
    }

    /** Copies the vector's model columns into {@code rows} at {@code offset}; false when it cannot be scored. */
    private boolean fill(FeatureVector vector, float[] rows, int offset) {
        FeatureColumns.Mapping mapping = columns.of(vector.schema());
        if (mapping.otherSchema()) {
            stats.otherSchema.increment();
            return false;
        }
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
     * and, when that window is due at {@code stride}, copies it into {@code rows} at {@code offset};
     * a vector that cannot be scored stays out of the window.
     */
    private Row fillWindow(FeatureVector v, int stride, float[] vector, float[] rows, int offset) {
        if (!fill(v, vector, 0)) {
            return Row.REFUSED;
        }
        return windows.add(v.entityId(), vector, 0, stride, rows, offset) ? Row.FILLED : Row.SKIPPED;
    }

    /**
     * One scoring call (ONNX Runtime, or the Java trees for a small call of a tree model); @return
     * its nanoseconds, or -1 when the model was closed meanwhile
     */
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

    /** Calls of up to this many rows are scored in Java, not by ONNX Runtime (0: none). */
    int javaTreeRows() {
        return model.javaTreeRows();
    }

    boolean flags(Score score) {
        return score.value() >= descriptor.threshold();
    }

    @Override
    public void close() {
        model.close();
    }
}
