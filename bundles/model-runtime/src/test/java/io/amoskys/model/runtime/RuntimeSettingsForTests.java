package io.amoskys.model.runtime;

import java.nio.file.Path;

/** Settings with every file under one test folder. */
final class RuntimeSettingsForTests {
    private RuntimeSettingsForTests() {}

    static RuntimeSettings settings(Path folder) {
        return settings(folder, 1024);
    }

    static RuntimeSettings settings(Path folder, int maxBatch) {
        return new RuntimeSettings(folder.resolve("etc/amoskys/models/trust"),
                folder.resolve("etc/amoskys/models/platform.key"), folder.resolve("data/amoskys/models/state.properties"),
                maxBatch, 1, 0);
    }
}
