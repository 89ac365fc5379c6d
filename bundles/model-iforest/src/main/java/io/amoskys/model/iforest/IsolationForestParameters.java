package io.amoskys.model.iforest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a forest is grown: the number of trees, the rows drawn (without replacement) for each tree,
 * and the seed that makes training repeatable. The depth limit follows from the sample size
 * ({@code ceil(log2(sample))}, as in the original algorithm). {@code contamination} sets the
 * verdict threshold, not the forest: the share of the training vectors that score at or above it
 * (the threshold is the {@code 1 - contamination} quantile of their scores, linearly interpolated,
 * as scikit-learn's {@code IsolationForest(contamination=c)} sets its offset).
 */
public record IsolationForestParameters(int trees, int sampleSize, long seed, double contamination) {
    /** The share of the baseline the default threshold flags: scikit-learn's former and PyOD's default. */
    public static final double DEFAULT_CONTAMINATION = 0.1;
    public static final IsolationForestParameters DEFAULTS = new IsolationForestParameters(100, 256, 1);

    /** With the default contamination. */
    public IsolationForestParameters(int trees, int sampleSize, long seed) {
        this(trees, sampleSize, seed, DEFAULT_CONTAMINATION);
    }

    public IsolationForestParameters {
        if (!(contamination > 0 && contamination < 0.5)) {
            throw new IllegalArgumentException("the contamination (the share of training vectors at or above the threshold) "
                    + "must lie in (0, 0.5), not " + contamination);
        }
        if (trees < 1 || trees > 10_000) {
            throw new IllegalArgumentException("trees must lie in 1..10000, not " + trees);
        }
        if (sampleSize < 2 || sampleSize > 1 << 20) {
            throw new IllegalArgumentException("the sample size must lie in 2..1048576, not " + sampleSize);
        }
    }

    /** {@code ceil(log2(rows))}: the height at which a tree stops splitting. */
    static int maxDepth(int rows) {
        return 32 - Integer.numberOfLeadingZeros(rows - 1);
    }

    /** For the descriptor's provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("trees", trees);
        map.put("sampleSize", sampleSize);
        map.put("seed", seed);
        map.put("contamination", contamination);
        return map;
    }
}
