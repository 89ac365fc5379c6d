package io.amoskys.model.iforest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a forest is grown: the number of trees, the rows drawn (without replacement) for each tree,
 * and the seed that makes training repeatable. The depth limit follows from the sample size
 * ({@code ceil(log2(sample))}, as in the original algorithm).
 */
public record IsolationForestParameters(int trees, int sampleSize, long seed) {
    public static final IsolationForestParameters DEFAULTS = new IsolationForestParameters(100, 256, 1);

    public IsolationForestParameters {
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
        return map;
    }
}
