package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSourcesTest {
    @TempDir
    Path dir;

    @Test
    void withoutAManifestEveryCaptureInTheFolderCountsInNameOrder() throws Exception {
        for (String file : new String[] {"b.pcapng", "a.pcap", "c.CAP", "readme.txt"}) {
            Files.writeString(dir.resolve(file), "");
        }
        assertEquals(List.of("a.pcap", "b.pcapng", "c.CAP"),
                TrainingSources.baselineCaptures(dir).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aManifestGivesItsBenignCapturesOnly() throws Exception {
        Files.writeString(dir.resolve("x.pcap"), "");
        Files.writeString(dir.resolve("y.pcap"), "");
        Files.writeString(dir.resolve("z.pcap"), "");
        Files.writeString(dir.resolve("MANIFEST.tsv"), "file\tbytes\tcategory\nz.pcap\t0\tbenign_iot\nx.pcap\t0\tscan\ny.pcap\t0\tbenign\n");
        assertEquals(List.of(dir.resolve("y.pcap"), dir.resolve("z.pcap")), TrainingSources.baselineCaptures(dir));
    }

    @Test
    void aManifestMustNameItsColumnsAndOnlyFilesInItsFolder() throws Exception {
        Files.writeString(dir.resolve("MANIFEST.tsv"), "name\tlabel\nx.pcap\tbenign\n");
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class, () -> TrainingSources.baselineCaptures(dir));
        assertTrue(columns.getMessage().contains("'file' and 'category'"), columns.getMessage());
        Files.writeString(dir.resolve("MANIFEST.tsv"), "file\tcategory\n../elsewhere.pcap\tbenign\n");
        assertThrows(IllegalArgumentException.class, () -> TrainingSources.baselineCaptures(dir));
    }

    @Test
    void aLineCutShortIsRefusedNamingItRatherThanLeftOut() throws Exception {
        Files.writeString(dir.resolve("x.pcap"), "");
        Files.writeString(dir.resolve("y.pcap"), "");
        Files.writeString(dir.resolve("MANIFEST.tsv"), "file\tbytes\tcategory\nx.pcap\t0\tbenign\n\ny.pcap\t0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingSources.baselineCaptures(dir));
        assertTrue(e.getMessage().endsWith("a line without file or category: y.pcap\t0"), e.getMessage());
    }
}
