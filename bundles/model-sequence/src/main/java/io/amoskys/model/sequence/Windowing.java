package io.amoskys.model.sequence;

import io.amoskys.api.event.FeatureVector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows a sequence model is trained on, made as the model runtime makes them when it scores
 * (docs/MODELS.md, "Sequence models"): each vector's window is the last {@code window} vectors of
 * its entity ending at it, oldest first, padded at the start with the entity's oldest vector until
 * the entity has {@code window} of them. A vector with a model feature that is not finite in
 * float32 gets no window and does not enter its entity's history (the runtime refuses it the same
 * way). Unbounded: one capture's entities at a time.
 */
public final class Windowing {
    private final int window;
    private final int[] columns;
    private final Map<String, float[][]> history = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    /** @param columns the model's features: their columns in the vectors' schema, in the model's order */
    public Windowing(int window, int[] columns) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        this.window = window;
        this.columns = columns.clone();
    }

    /** @return the vector's window, {@code window × features} floats oldest first; null when it cannot be scored */
    public float[] add(FeatureVector vector) {
        int f = columns.length;
        float[] row = new float[f];
        for (int j = 0; j < f; j++) {
            row[j] = (float) vector.get(columns[j]);
            if (!Float.isFinite(row[j])) {
                return null;
            }
        }
        float[][] rows = history.computeIfAbsent(vector.entityId(), e -> new float[window][]);
        int count = counts.merge(vector.entityId(), 1, Integer::sum);
        if (count > window) {
            System.arraycopy(rows, 1, rows, 0, window - 1);
            rows[window - 1] = row;
        } else {
            rows[count - 1] = row;
        }
        int held = Math.min(count, window);
        float[] out = new float[window * f];
        int pad = window - held;
        for (int p = 0; p < window; p++) {
            float[] source = p < pad ? rows[0] : rows[p - pad];
            System.arraycopy(source, 0, out, p * f, f);
        }
        return out;
    }

    /** The model's columns of the vectors' schema, in the order of {@code features}. */
    public static int[] columns(List<String> schemaFeatures, List<String> features) {
        return features.stream().mapToInt(schemaFeatures::indexOf).toArray();
    }
}
