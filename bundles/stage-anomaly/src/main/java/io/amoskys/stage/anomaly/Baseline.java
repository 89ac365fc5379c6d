package io.amoskys.stage.anomaly;

import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedMoments;

/**
 * One entity's normal for one feature: a time-decayed mean and deviation over all its history,
 * and, once the entity has been seen for a day, one per hour of day, used for an hour that has
 * enough samples of its own (daily rhythms: backups at night, logins in the morning).
 */
final class Baseline {
    private static final long DAY_NANOS = 86_400_000_000_000L;
    private static final long HOUR_NANOS = 3_600_000_000_000L;
    /** Hour-of-day baselines forget over about a week. */
    private static final long SEASONAL_TAU = 7 * DAY_NANOS;

    private final DecayedMoments overall;
    /** The entity's seasonal factors, shared by its baselines' hour-of-day moments. */
    private final DecayFactor seasonal;
    private DecayedMoments[] byHour;
    private long samples;

    /** @param overall and {@code seasonal} (of {@link #SEASONAL_TAU}): the factors shared by the entity's baselines */
    Baseline(DecayFactor overall, DecayFactor seasonal) {
        this.overall = new DecayedMoments(overall);
        this.seasonal = seasonal;
    }

    static DecayFactor seasonalFactor() {
        return new DecayFactor(SEASONAL_TAU);
    }

    /**
     * The z-score of {@code x} against the baseline so far (0 until {@code minSamples}), then
     * adds x. The deviation has a floor of 5 % of the mean's size (at least 1e-6), so a feature that
     * never moved still scores a change in proportion; |z| is capped at {@code cap}.
     *
     * @param hour {@link #hourOf}(tNanos), computed once for the event's baselines
     */
    double scoreThenAdd(long tNanos, int hour, long firstSeenNanos, double x, int minSamples, double minSeasonalWeight, double cap) {
        DecayedMoments reference = overall;
        if (byHour != null && byHour[hour] != null && byHour[hour].weight(tNanos) >= minSeasonalWeight) {
            reference = byHour[hour];
        }
        double z = 0;
        if (samples >= minSamples) {
            double mean = reference.mean();
            double sd = Math.max(reference.std(), Math.max(1e-6, 0.05 * Math.abs(mean)));
            z = Math.max(-cap, Math.min(cap, (x - mean) / sd));
        }
        overall.add(tNanos, x);
        samples++;
        if (tNanos - firstSeenNanos >= DAY_NANOS) {
            if (byHour == null) {
                byHour = new DecayedMoments[24];
            }
            if (byHour[hour] == null) {
                byHour[hour] = new DecayedMoments(seasonal);
            }
            byHour[hour].add(tNanos, x);
        }
        return z;
    }

    /** The hour of day (UTC) of an event time, for {@link #scoreThenAdd}: the same for all of an event's baselines. */
    static int hourOf(long tNanos) {
        return (int) Math.floorMod(Math.floorDiv(tNanos, HOUR_NANOS), 24L);
    }

    double weight(long tNanos) {
        return overall.weight(tNanos);
    }
}
