package io.amoskys.stage.temporal;

import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.feature.stats.Window;

/** One temporal feature: a statistic of a measure over a window, named {@code NAME_WINDOW}. */
record TemporalColumn(String name, Stat stat, Measure measure, String unit, Window window) {

    FeatureDefinition definition(String kind, String entity) {
        return new FeatureDefinition(name, kind, entity, stat.unit(unit), window.suffix(),
                stat.define(measure.what(), window.suffix()));
    }
}
