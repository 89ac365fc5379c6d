package io.amoskys.model.runtime;

import java.nio.file.Path;

/** The runtime's configuration with its defaults resolved. */
record RuntimeSettings(Path trustDir, Path platformKey, Path stateFile, int maxBatch, int intraOpThreads,
        long errorLogNanos, int windowEntities, int windowStride, int javaTreeRows) {
    /** Entities whose last vectors a sequence model keeps, by default (RuntimeConfig.windowEntities). */
    static final int DEFAULT_WINDOW_ENTITIES = 4096;
    /** windowStride 0: each sequence model scores a window every W vectors of an entity, W its own window. */
    static final int STRIDE_OF_THE_MODEL = 0;
    /** The largest window a descriptor may have, so the largest stride that can mean anything. */
    static final int MAX_WINDOW_STRIDE = 256;
    /** Tree models score calls of up to this many rows in Java by default (RuntimeConfig.javaTreeRows): all of maxBatch's default. */
    static final int DEFAULT_JAVA_TREE_ROWS = 1024;

    RuntimeSettings {
        if (maxBatch < 1 || intraOpThreads < 1 || errorLogNanos < 0 || windowEntities < 1) {
            throw new IllegalArgumentException(ModelRuntimeComponent.PID
                    + ": maxBatch, intraOpThreads and windowEntities must be >= 1, errorLogSeconds >= 0");
        }
        if (javaTreeRows < 0) {
            throw new IllegalArgumentException(ModelRuntimeComponent.PID + ": javaTreeRows is " + javaTreeRows
                    + "; it must be 0 (ONNX Runtime scores every call) or more");
        }
        if (windowStride < 0 || windowStride > MAX_WINDOW_STRIDE) {
            throw new IllegalArgumentException(ModelRuntimeComponent.PID + ": windowStride is " + windowStride
                    + "; it must be 0 (each sequence model's own window W: every vector in exactly one scored window), "
                    + "1 (a window for every vector) or a number of vectors up to " + MAX_WINDOW_STRIDE);
        }
    }

    /** With the default {@code windowEntities}, {@code windowStride} and {@code javaTreeRows}. */
    RuntimeSettings(Path trustDir, Path platformKey, Path stateFile, int maxBatch, int intraOpThreads, long errorLogNanos) {
        this(trustDir, platformKey, stateFile, maxBatch, intraOpThreads, errorLogNanos, DEFAULT_WINDOW_ENTITIES,
                STRIDE_OF_THE_MODEL);
    }

    /** With the default {@code javaTreeRows}. */
    RuntimeSettings(Path trustDir, Path platformKey, Path stateFile, int maxBatch, int intraOpThreads, long errorLogNanos,
            int windowEntities, int windowStride) {
        this(trustDir, platformKey, stateFile, maxBatch, intraOpThreads, errorLogNanos, windowEntities, windowStride,
                DEFAULT_JAVA_TREE_ROWS);
    }

    static RuntimeSettings of(RuntimeConfig config) {
        return new RuntimeSettings(
                path(config.trustDir(), "karaf.etc", "amoskys/models/trust"),
                path(config.platformKey(), "karaf.etc", "amoskys/models/platform.key"),
                path(config.stateFile(), "karaf.data", "amoskys/models/state.properties"),
                config.maxBatch(), config.intraOpThreads(), config.errorLogSeconds() * 1_000_000_000L,
                config.windowEntities(), config.windowStride(), config.javaTreeRows());
    }

    /** The stride of a sequence model of window W: 0 means W, and a stride beyond W is W (no vector left out of every window). */
    int strideFor(int window) {
        return windowStride == STRIDE_OF_THE_MODEL ? window : Math.min(windowStride, window);
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
