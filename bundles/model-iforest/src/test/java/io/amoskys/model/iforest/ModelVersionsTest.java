package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVersionsTest {
    @TempDir
    Path dir;

    @Test
    void theNextVersionIsOnePatchAboveTheHighestByNumber() {
        assertEquals("1.0.0", ModelVersions.nextPatch(List.of()));
        assertEquals("1.10.4", ModelVersions.nextPatch(List.of("1.0.9", "1.10.3", "1.2.0", "1.9.12")));
        assertThrows(IllegalArgumentException.class, () -> ModelVersions.nextPatch(List.of("1.0")));
    }

    @Test
    void bundlesOfTheNameInTheFolderCount() throws Exception {
        for (String file : new String[] {"iforest-1.0.0.jar", "iforest-1.0.7.jar", "iforest2-3.0.0.jar", "iforest-1.1.jar", "notes.txt"}) {
            Files.writeString(dir.resolve(file), "");
        }
        assertEquals(List.of("1.0.0", "1.0.7"), ModelVersions.inFolder(dir, "iforest").stream().sorted().toList());
        assertEquals(List.of(), ModelVersions.inFolder(dir.resolve("missing"), "iforest"));
    }
}
