package io.amoskys.model.runtime;

import java.nio.file.Path;

/** The runtime's configuration with its defaults resolved. */
record RuntimeSettings(Path trustDir, Path platformKey, Path stateFile, int maxBatch, int intraOpThreads,
        long errorLogNanos, int windowEntities) {
    /** Entities whose last vectors a sequence model keeps, by default (RuntimeConfig.windowEntities). */
    static final int DEFAULT_WINDOW_ENTITIES = 4096;

    RuntimeSettings {
        if (maxBatch < 1 || intraOpThreads < 1 || errorLogNanos < 0 || windowEntities < 1) {
            throw new IllegalArgumentException(ModelRuntimeComponent.PID
                    + ": maxBatch, intraOpThreads and windowEntities must be >= 1, errorLogSeconds >= 0");
        }
    }

    /** With the default {@code windowEntities}. */
    RuntimeSettings(Path trustDir, Path platformKey, Path stateFile, int maxBatch, int intraOpThreads, long errorLogNanos) {
        this(trustDir, platformKey, stateFile, maxBatch, intraOpThreads, errorLogNanos, DEFAULT_WINDOW_ENTITIES);
    }

    static RuntimeSettings of(RuntimeConfig config) {
        return new RuntimeSettings(
                path(config.trustDir(), "karaf.etc", "amoskys/models/trust"),
                path(config.platformKey(), "karaf.etc", "amoskys/models/platform.key"),
                path(config.stateFile(), "karaf.data", "amoskys/models/state.properties"),
                config.maxBatch(), config.intraOpThreads(), config.errorLogSeconds() * 1_000_000_000L,
                config.windowEntities());
    }

    private static Path path(String configured, String karafProperty, String under) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String base = System.getProperty(karafProperty);
        if (base == null) {
            throw new IllegalStateException(karafProperty + " is not set: configure the paths in "
                    + ModelRuntimeComponent.PID + ".cfg");
        }
        return Path.of(base, under);
    }
}
