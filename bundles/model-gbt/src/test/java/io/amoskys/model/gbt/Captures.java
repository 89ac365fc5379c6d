package io.amoskys.model.gbt;

import io.amoskys.feature.export.Stages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The flow vectors of every capture in ../shared/data/pcap, labelled by its MANIFEST.tsv
 * ({@code category}: {@code benign...} is 0, an attack class 1), grouped by capture. Made once per
 * test JVM: the feature chain over all captures is the slow part.
 */
final class Captures {
    static final String KIND = "flow";
    private static LabelledSet all;
    private static LeaveCapturesOut evaluation;

    private Captures() {}

    static synchronized LabelledSet all() throws IOException {
        if (all == null) {
            all = load(Stages.CAPTURES);
        }
        return all;
    }

    /** The leave-one-capture-out evaluation of the default parameters, once per JVM. */
    static synchronized LeaveCapturesOut evaluation() throws IOException {
        if (evaluation == null) {
            evaluation = LeaveCapturesOut.evaluate(all(), GbtParameters.DEFAULTS, GbtTrainer.THRESHOLD);
        }
        return evaluation;
    }

    /** Every capture the manifest lists, in name order so that training is repeatable. */
    static LabelledSet load(Path folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("MANIFEST.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        LabelledSet set = new LabelledSet();
        List<String[]> entries = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .sorted((a, b) -> a[file].compareTo(b[file])).toList();
        for (String[] cells : entries) {
            int before = set.size();
            Stages.exports().vectors(Stages.flowAgent(), folder.resolve(cells[file]), KIND, set.sink(cells[file], cells[category]));
            set.source("capture " + cells[file] + " (" + cells[category] + "): " + (set.size() - before) + " " + KIND + " vectors");
        }
        return set;
    }
}
