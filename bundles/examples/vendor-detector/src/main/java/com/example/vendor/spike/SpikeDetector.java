package com.example.vendor.spike;

import io.amoskys.api.Detector;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Detector {@code spike}: the relative jump of each feature from the entity's previous vector;
 * the largest jump r scores r / (1 + r). Remembers at most 10,000 entities. Routes with other
 * stages may send the same entity in another feature schema: each schema is compared with its own.
 */
@Component
@PluginName("spike")
public class SpikeDetector implements Detector {
    private static final int MAX_ENTITIES = 10_000;

    private record Key(FeatureSchema schema, String entityId) {}

    private final Map<Key, double[]> previous = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, double[]> eldest) {
            return size() > MAX_ENTITIES;
        }
    };

    @Override
    public Score score(FeatureVector vector) {
        double[] now = vector.toArray();
        double[] before;
        synchronized (previous) {
            before = previous.put(new Key(vector.schema(), vector.entityId()), now);
        }
        if (before == null) {
            return null;
        }
        int worst = 0;
        double worstJump = 0;
        for (int i = 0; i < now.length; i++) {
            double jump = Math.abs(now[i] - before[i]) / Math.max(1.0, Math.abs(before[i]));
            if (jump > worstJump) {
                worstJump = jump;
                worst = i;
            }
        }
        return Score.builder()
                .detector("spike")
                .modelVersion("example-1")
                .about(vector)
                .value(worstJump / (1 + worstJump))
                .topContributions(List.of(new Contribution(vector.schema().features().get(worst), now[worst], worstJump)))
                .build();
    }
}
