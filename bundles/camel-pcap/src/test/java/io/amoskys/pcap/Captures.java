package io.amoskys.pcap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The real captures of ../shared/data/pcap and what their MANIFEST.tsv says of them. */
final class Captures {
    static final Path FOLDER = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    private Captures() {}

    /** File name to packet count, as the manifest records it. */
    static Map<String, Long> manifest() throws IOException {
        Path manifest = FOLDER.resolve("MANIFEST.tsv");
        assertTrue(Files.exists(manifest), "the shared capture folder is beside the checkout: " + manifest.toAbsolutePath());
        List<String> lines = Files.readAllLines(manifest);
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file");
        int packets = header.indexOf("packets");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f.length > packets && !f[file].isBlank()) {
                counts.put(f[file], Long.parseLong(f[packets].strip()));
            }
        }
        return counts;
    }
}
