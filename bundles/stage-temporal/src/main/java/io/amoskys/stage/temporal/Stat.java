package io.amoskys.stage.temporal;

/** What a temporal column says about its measure within its window. */
enum Stat {
    /** Events per second, time-decayed. */
    RATE("1/s", "Time-decayed rate of %s per second (time constant %s)."),
    /** The measure's sum per second, time-decayed. */
    SUM_RATE("%s/s", "Time-decayed sum of %s per second (time constant %s)."),
    MEAN("%s", "Time-decayed mean of %s (time constant %s)."),
    STD("%s", "Time-decayed standard deviation of %s (time constant %s)."),
    MIN("%s", "Minimum of %s over the last %s (granularity a quarter of the window)."),
    MAX("%s", "Maximum of %s over the last %s (granularity a quarter of the window)."),
    /** Distinct values of a label, HyperLogLog-estimated. */
    DISTINCT("count", "Distinct %s seen in the current and previous tumbling %s window (HyperLogLog, about 6.5%% standard error).");

    private final String unit;
    private final String definition;

    Stat(String unit, String definition) {
        this.unit = unit;
        this.definition = definition;
    }

    String unit(String measureUnit) {
        return unit.formatted(measureUnit);
    }

    String define(String what, String window) {
        return definition.formatted(what, window);
    }

    boolean usesMoments() {
        return this == RATE || this == SUM_RATE || this == MEAN || this == STD;
    }

    boolean usesExtremes() {
        return this == MIN || this == MAX;
    }
}
