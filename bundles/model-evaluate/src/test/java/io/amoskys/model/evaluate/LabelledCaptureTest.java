package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledCaptureTest {
    @TempDir
    Path folder;

    @Test
    void readsFileAndCategoryAmongOtherColumnsInTheManifestsOrder() throws Exception {
        Files.writeString(folder.resolve("b.pcap"), "");
        Files.writeString(folder.resolve("a.pcap"), "");
        Files.writeString(folder.resolve(LabelledCapture.MANIFEST), "bytes\tfile\tcategory\n1\tb.pcap\tbenign_iot\n2\ta.pcap\tscan\n\n");
        List<LabelledCapture> captures = LabelledCapture.listedIn(folder);
        assertEquals(List.of(new LabelledCapture(folder.resolve("b.pcap"), "benign_iot"), new LabelledCapture(folder.resolve("a.pcap"), "scan")),
                captures);
        assertTrue(captures.get(0).benign());
        assertFalse(captures.get(1).benign());
        assertEquals("a.pcap", captures.get(1).name());
    }

    @Test
    void refusesAManifestWithoutTheColumnsOrListingFilesElsewhere() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> LabelledCapture.listedIn(folder)); // no manifest
        Files.writeString(folder.resolve(LabelledCapture.MANIFEST), "file\tlabel\nx.pcap\tscan\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelledCapture.listedIn(folder)).getMessage().contains("'category'"));
        Files.writeString(folder.resolve(LabelledCapture.MANIFEST), "file\tcategory\n../x.pcap\tscan\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelledCapture.listedIn(folder)).getMessage().contains("../x.pcap"));
    }
}
