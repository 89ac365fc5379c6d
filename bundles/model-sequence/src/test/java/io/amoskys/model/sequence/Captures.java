package io.amoskys.model.sequence;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.feature.export.Stages;
import io.amoskys.model.format.FeatureColumns;
import io.amoskys.model.format.FeatureStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flow vectors of every capture in ../shared/data/pcap, in capture order (file names sorted)
 * and, within a capture, in the order the platform's flow agent and five default stages made them
 * (fresh stages per capture, as amoskys:evaluate makes them); labelled by MANIFEST.tsv
 * ({@code category}: {@code benign...} is 0, an attack class 1). Then their windows, as the
 * runtime makes them ({@link Windowing}), one history per capture. Made once per test JVM.
 */
final class Captures {
    static final String KIND = "flow";
    static final int WINDOW = 8;

    /** One capture's vectors. */
    record Capture(String file, String category, List<FeatureVector> vectors) {}

    /** One window: the vector it ends at, its capture and category, and W × F floats. */
    record Window(Capture capture, FeatureVector vector, float[] values) {
        int label() {
            return capture.category().startsWith("benign") ? 0 : 1;
        }
    }

    private static Captures all;

    final List<Capture> captures;
    final String schema;
    final List<String> features;
    final List<String> dropped;
    final FeatureStats featureStats;
    final List<Window> windows = new ArrayList<>();
    final long notFinite;

    private Captures(List<Capture> captures) {
        this.captures = captures;
        List<FeatureVector> vectors = captures.stream().flatMap(c -> c.vectors().stream()).toList();
        this.schema = vectors.get(0).schema().name();
        List<String> schemaFeatures = vectors.get(0).schema().features();
        List<float[]> finite = new ArrayList<>();
        for (FeatureVector v : vectors) {
            if (!v.schema().equals(vectors.get(0).schema())) {
                throw new IllegalStateException("the captures' flow vectors are of more than one schema");
            }
            float[] row = new float[v.size()];
            boolean ok = true;
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) v.get(i);
                ok &= Float.isFinite(row[i]);
            }
            if (ok) {
                finite.add(row);
            }
        }
        FeatureColumns varying = FeatureColumns.varying(schemaFeatures, finite.toArray(float[][]::new));
        this.features = varying.names();
        this.dropped = varying.dropped();
        this.featureStats = new FeatureStats(varying.means(), varying.stds());
        int[] columns = Windowing.columns(schemaFeatures, features);
        long skipped = 0;
        for (Capture c : captures) {
            Windowing windowing = new Windowing(WINDOW, columns);
            for (FeatureVector v : c.vectors()) {
                float[] w = windowing.add(v);
                if (w == null) {
                    skipped++;
                } else {
                    windows.add(new Window(c, v, w));
                }
            }
        }
        this.notFinite = skipped;
    }

    static synchronized Captures all() throws IOException {
        if (all == null) {
            all = new Captures(load(Stages.CAPTURES));
        }
        return all;
    }

    private static List<Capture> load(Path folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("MANIFEST.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        List<String[]> entries = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .sorted((a, b) -> a[file].compareTo(b[file])).toList();
        List<Capture> captures = new ArrayList<>();
        for (String[] cells : entries) {
            List<FeatureVector> vectors = new ArrayList<>();
            Stages.exports().vectors(Stages.flowAgent(), folder.resolve(cells[file]), KIND, vectors::add);
            captures.add(new Capture(cells[file], cells[category], List.copyOf(vectors)));
        }
        return captures;
    }

    /** For the descriptor: where the rows came from, one line per capture. */
    List<String> sources() {
        return captures.stream().map(c -> "capture " + c.file() + " (" + c.category() + "): " + c.vectors().size() + " " + KIND
                + " vectors").toList();
    }

    Map<String, Long> windowsPerCategory() {
        Map<String, Long> counts = new TreeMap<>();
        windows.forEach(w -> counts.merge(w.capture().category(), 1L, Long::sum));
        return counts;
    }

    Map<String, Object> windowsPerClass() {
        long attacks = windows.stream().filter(w -> w.label() == 1).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benign", windows.size() - attacks);
        m.put("attack", attacks);
        return m;
    }

    /**
     * Writes what train_sequence.py reads: {@code windows.f32} (float32 little-endian [N, W, F]),
     * {@code windows.tsv} (capture, category, label, entity per window) and {@code meta.json}.
     */
    void export(Path folder) throws IOException {
        Files.createDirectories(folder);
        int f = features.size();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(folder.resolve("windows.f32")), 1 << 20)) {
            ByteBuffer buffer = ByteBuffer.allocate(WINDOW * f * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Window w : windows) {
                buffer.clear();
                buffer.asFloatBuffer().put(w.values());
                out.write(buffer.array());
            }
        }
        StringBuilder tsv = new StringBuilder();
        for (Window w : windows) {
            tsv.append(w.capture().file()).append('\t').append(w.capture().category()).append('\t').append(w.label()).append('\t')
                    .append(w.vector().entityId().replace('\t', ' ')).append('\n');
        }
        Files.writeString(folder.resolve("windows.tsv"), tsv, StandardCharsets.UTF_8);
        StringBuilder meta = new StringBuilder("{\"window\": " + WINDOW + ", \"features\": [");
        for (int i = 0; i < f; i++) {
            meta.append(i == 0 ? "" : ", ").append('"').append(features.get(i).replace("\"", "\\\"")).append('"');
        }
        Files.writeString(folder.resolve("meta.json"), meta.append("]}\n"), StandardCharsets.UTF_8);
    }
}
