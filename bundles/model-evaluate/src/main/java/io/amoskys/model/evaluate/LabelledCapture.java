package io.amoskys.model.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A capture with its label from a folder's {@code MANIFEST.tsv} (tab-separated, first line the
 * header, columns {@code file} and {@code category} among any others): a category starting with
 * {@code benign} is benign traffic, any other names an attack class.
 */
public record LabelledCapture(Path file, String category) {
    public static final String MANIFEST = "MANIFEST.tsv";

    public boolean benign() {
        return category.startsWith("benign");
    }

    public String name() {
        return file.getFileName().toString();
    }

    /** Every capture the folder's manifest lists, in the manifest's order. */
    public static List<LabelledCapture> listedIn(Path folder) throws IOException {
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(folder + " has no " + MANIFEST + " (columns file and category) to label its captures");
        }
        List<String> lines = Files.readAllLines(manifest);
        List<String> header = lines.isEmpty() ? List.of() : Arrays.asList(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        if (file < 0 || category < 0) {
            throw new IllegalArgumentException(manifest + " needs the columns 'file' and 'category' (tab-separated, first line)");
        }
        List<LabelledCapture> captures = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length <= Math.max(file, category) || cells[category].isBlank()) {
                throw new IllegalArgumentException(manifest + ": a line without file or category: " + line);
            }
            Path capture = folder.resolve(cells[file]).normalize();
            if (!capture.startsWith(folder.normalize()) || !Files.isRegularFile(capture)) {
                throw new IllegalArgumentException(manifest + " lists " + cells[file] + ", which is not a file in " + folder);
            }
            captures.add(new LabelledCapture(capture, cells[category]));
        }
        return captures;
    }
}
