package io.amoskys.feature.stats;

/** The standard windows of the temporal features, named by the suffix of their feature names. */
public enum Window {
    S1(1), S10(10), M1(60), M10(600);

    private final int seconds;
    private final String suffix;

    Window(int seconds) {
        this.seconds = seconds;
        this.suffix = seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** The window's length in nanoseconds. */
    public long nanos() {
        return seconds * 1_000_000_000L;
    }

    /** "1s", "10s", "1m", "10m" — used in feature names such as flow_rate_10s. */
    public String suffix() {
        return suffix;
    }

    /** The window's length in seconds. */
    public double seconds() {
        return seconds;
    }
}
