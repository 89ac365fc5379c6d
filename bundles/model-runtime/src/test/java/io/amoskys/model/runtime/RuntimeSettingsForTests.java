package io.amoskys.model.runtime;

import java.nio.file.Path;

/** Settings with every file under one test folder. */
final class RuntimeSettingsForTests {
    private RuntimeSettingsForTests() {}

    /** The runtime's defaults (a sequence model scores a window every W vectors of an entity). */
    static RuntimeSettings settings(Path folder) {
        return settings(folder, 1024);
    }

    static RuntimeSettings settings(Path folder, int maxBatch) {
        return new RuntimeSettings(folder.resolve("etc/amoskys/models/trust"),
                folder.resolve("etc/amoskys/models/platform.key"), folder.resolve("data/amoskys/models/state.properties"),
                maxBatch, 1, 0);
    }

    static RuntimeSettings settings(Path folder, int maxBatch, int windowEntities, int windowStride) {
        RuntimeSettings base = settings(folder, maxBatch);
        return new RuntimeSettings(base.trustDir(), base.platformKey(), base.stateFile(), maxBatch, base.intraOpThreads(),
                base.errorLogNanos(), windowEntities, windowStride);
    }

    /** windowStride 1: a sequence model scores every vector's window. */
    static RuntimeSettings everyWindow(Path folder) {
        return settings(folder, 1024, RuntimeSettings.DEFAULT_WINDOW_ENTITIES, 1);
    }
}
