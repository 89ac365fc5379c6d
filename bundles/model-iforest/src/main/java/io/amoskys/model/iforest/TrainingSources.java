package io.amoskys.model.iforest;

import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.bus.EventLog;
import io.amoskys.feature.export.Exports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where training vectors come from: capture files, a folder of them, or a stretch of the bus's
 * log, each run through fresh copies of the feature stages (nothing touches the live stages or the
 * bus). A folder with a {@code MANIFEST.tsv} (columns {@code file} and {@code category}) gives
 * only its benign captures (category {@code benign...}): an operator trains on their baseline.
 */
public final class TrainingSources {
    public static final String MANIFEST = "MANIFEST.tsv";

    private TrainingSources() {}

    /** The captures in a folder to train on, sorted by name so that training is repeatable. */
    public static List<Path> baselineCaptures(Path folder) throws IOException {
        Path manifest = folder.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            return benignInManifest(folder, manifest);
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(TrainingSources::looksLikeCapture).sorted().toList();
        }
    }

    /**
     * Feeds each capture's vectors of {@code kind} into the set.
     *
     * @return one summary line per capture, for the operator
     */
    public static List<String> fromCaptures(Exports exports, CaptureDecoder decoder, List<Path> captures, String kind,
            TrainingSet set) throws IOException {
        List<String> summaries = new ArrayList<>();
        for (Path capture : captures) {
            long before = set.vectors() + set.notFinite();
            summaries.add(capture.getFileName() + ": " + exports.vectors(decoder, capture, kind, set));
            set.source("capture " + capture.getFileName() + ": " + (set.vectors() + set.notFinite() - before) + " " + kind + " vectors");
        }
        return summaries;
    }

    /** Feeds the vectors of {@code kind} the log's events from {@code start} to {@code end} make into the set. */
    public static String fromLog(Exports exports, EventLog log, Instant start, Instant end, String kind, TrainingSet set)
            throws InterruptedException {
        long before = set.vectors() + set.notFinite();
        String summary = exports.vectors(log, start, end, kind, set);
        set.source("bus log " + start + " to " + end + ": " + (set.vectors() + set.notFinite() - before) + " " + kind + " vectors");
        return summary;
    }

    private static List<Path> benignInManifest(Path folder, Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest);
        List<String> header = lines.isEmpty() ? List.of() : Arrays.asList(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        if (file < 0 || category < 0) {
            throw new IllegalArgumentException(manifest + " needs the columns 'file' and 'category' (tab-separated, first line)");
        }
        List<Path> benign = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            // A line cut short would otherwise leave its capture out of the baseline without a word.
            if (cells.length <= Math.max(file, category) || cells[category].isBlank()) {
                throw new IllegalArgumentException(manifest + ": a line without file or category: " + line);
            }
            if (cells[category].startsWith("benign")) {
                Path capture = folder.resolve(cells[file]).normalize();
                if (!capture.startsWith(folder.normalize()) || !Files.isRegularFile(capture)) {
                    throw new IllegalArgumentException(manifest + " lists " + cells[file] + ", which is not a file in " + folder);
                }
                benign.add(capture);
            }
        }
        benign.sort(null);
        return benign;
    }

    private static boolean looksLikeCapture(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pcap") || name.endsWith(".pcapng") || name.endsWith(".cap");
    }
}
