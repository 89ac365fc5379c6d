package io.amoskys.api.feature;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;

/**
 * A stage after the first: it appends its columns for the event's kind to the vector built so
 * far, under a schema named after the chain ({@link AppendedSchemas}). Subclasses say what the
 * columns are ({@link #definitions()}) and compute them; the bookkeeping is here once.
 *
 * <p>Declarative Services registers only the interfaces a component class implements itself, so
 * a subclass names them: {@code @Component(service = {FeatureStage.class, FeatureSet.class})},
 * with {@code @PluginName} equal to {@link #stage()} (routes find the stage by the one, exports by
 * the other).
 */
public abstract class AppendingStage implements FeatureStage, FeatureSet {
    private static final double[] NOTHING = new double[0];

    private final String stage;
    private final int version;
    private final String description;
    private final AppendedSchemas schemas = new AppendedSchemas(this);

    protected AppendingStage(String stage, int version, String description) {
        this.stage = stage;
        this.version = version;
        this.description = description;
    }

    @Override
    public final FeatureVector process(TelemetryEvent event, FeatureVector current) {
        if (current == null) {
            throw new IllegalArgumentException("the " + stage + " stage extends the vectors of earlier stages; "
                    + "put the canonical stage before it");
        }
        double[] added = compute(event, current);
        return schemas.append(event.kind(), current, added == null ? NOTHING : added);
    }

    /**
     * This stage's columns for the event, in the order {@link #columns(String)} gives for its
     * kind; empty (or null) for a kind the stage adds nothing to.
     */
    protected abstract double[] compute(TelemetryEvent event, FeatureVector current);

    @Override
    public final String stage() {
        return stage;
    }

    @Override
    public final int version() {
        return version;
    }

    @Override
    public final String description() {
        return description;
    }
}
