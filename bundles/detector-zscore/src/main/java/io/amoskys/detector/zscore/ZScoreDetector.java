package io.amoskys.detector.zscore;

import io.amoskys.api.Detector;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Detector {@code zscore}: how far each feature of a vector lies from that entity's own
 * time-decayed mean, in standard deviations. The largest |z| becomes the score
 * {@code z / (z + zHalf)}: 0 for the ordinary, 0.5 at {@code zHalf} deviations, towards 1 beyond.
 * The features with the largest |z| are the explanation.
 *
 * <p>State is one small record per entity and feature schema, at most {@code maxEntities} of them
 * (least recently seen evicted), so memory stays flat however many entities pass. Two routes may
 * score the same entity with different stages (the shipped process route and an operator's): each
 * schema has its own baseline, so that neither resets the other's.
 */
@Component(configurationPid = ZScoreDetector.PID)
@PluginName("zscore")
@Designate(ocd = ZScoreDetector.Config.class)
public class ZScoreDetector implements Detector {
    static final String PID = "io.amoskys.detector.zscore";
    static final String VERSION = "zscore-1";
    private static final int TOP = 3;

    @ObjectClassDefinition(name = "AMOSKYS z-score detector")
    public @interface Config {
        @AttributeDefinition(description = "Seconds after which a sample counts half")
        double halfLifeSeconds() default 600;

        @AttributeDefinition(description = "History (in samples) an entity needs before it is scored")
        int minSamples() default 5;

        @AttributeDefinition(description = "Deviations at which the score is 0.5")
        double zHalf() default 3;

        @AttributeDefinition(description = "Most entities remembered; the least recently seen are forgotten")
        int maxEntities() default 50_000;
    }

    private final double halfLifeNanos;
    private final int minSamples;
    private final double zHalf;
    private final Map<Baseline, DecayingStats> entities; // guarded by itself

    /** Whose history a record is: an entity's vectors of one schema. */
    private record Baseline(FeatureSchema schema, String entityId) {}

    @Activate
    public ZScoreDetector(Config config) {
        if (config.halfLifeSeconds() <= 0 || config.zHalf() <= 0 || config.maxEntities() < 1) {
            throw new IllegalArgumentException(PID + ": halfLifeSeconds and zHalf must be > 0 and maxEntities >= 1");
        }
        this.halfLifeNanos = config.halfLifeSeconds() * 1e9;
        this.minSamples = config.minSamples();
        this.zHalf = config.zHalf();
        int max = config.maxEntities();
        this.entities = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Baseline, DecayingStats> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public Score score(FeatureVector vector) {
        double[] values = vector.toArray();
        double[] z;
        boolean warm;
        synchronized (entities) {
            DecayingStats stats = entities.computeIfAbsent(new Baseline(vector.schema(), vector.entityId()),
                    baseline -> new DecayingStats(baseline.schema()));
            warm = stats.samples() >= minSamples;
            z = warm ? stats.zScores(values) : null;
            stats.add(values, vector.timestampNanos(), halfLifeNanos);
        }
        if (!warm) {
            return null; // too little history to judge this entity yet
        }
        return Score.builder()
                .detector("zscore")
                .modelVersion(VERSION)
                .about(vector)
                .value(scoreOf(max(z)))
                .topContributions(top(vector, values, z))
                .build();
    }

    int entityCount() {
        synchronized (entities) {
            return entities.size();
        }
    }

    private double scoreOf(double z) {
        return Double.isFinite(z) ? z / (z + zHalf) : 1.0;
    }

    private static double max(double[] z) {
        double max = 0;
        for (double v : z) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The TOP features with the largest |z|, largest first, found in one pass (no sort of all of them). */
    private static List<Contribution> top(FeatureVector vector, double[] values, double[] z) {
        int n = Math.min(TOP, z.length);
        int[] best = new int[n];
        int filled = 0;
        for (int i = 0; i < z.length; i++) {
            int at = filled < n ? filled++ : n;
            while (at > 0 && z[i] > z[best[at - 1]]) {
                if (at < n) {
                    best[at] = best[at - 1];
                }
                at--;
            }
            if (at < n) {
                best[at] = i;
            }
        }
        List<Contribution> top = new ArrayList<>(n);
        for (int k = 0; k < filled; k++) {
            top.add(new Contribution(vector.schema().features().get(best[k]), values[best[k]], z[best[k]]));
        }
        return top;
    }
}
