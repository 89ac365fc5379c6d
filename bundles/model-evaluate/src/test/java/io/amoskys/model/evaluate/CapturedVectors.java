package io.amoskys.model.evaluate;

import io.amoskys.feature.export.Stages;
import io.amoskys.api.event.FeatureVector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flow vectors of every capture a folder's manifest lists, made once by the platform's flow agent
 * and stages (fresh stages per capture, as amoskys:evaluate makes them), so that both forests see the
 * same rows. Vectors with a value that is not finite as float32 are left out and counted: neither
 * model can score them (the runtime refuses them too).
 */
final class CapturedVectors {
    private final Map<LabelledCapture, List<FeatureVector>> vectors = new LinkedHashMap<>();
    private long notFinite;

    static CapturedVectors export(Path folder) throws IOException {
        CapturedVectors all = new CapturedVectors();
        for (LabelledCapture capture : LabelledCapture.listedIn(folder)) {
            List<FeatureVector> kept = new ArrayList<>();
            Stages.exports().vectors(Stages.flowAgent(), capture.file(), "flow", v -> {
                if (Arrays.stream(v.toArray()).allMatch(x -> Float.isFinite((float) x))) {
                    kept.add(v);
                } else {
                    all.notFinite++;
                }
            });
            all.vectors.put(capture, kept);
        }
        return all;
    }

    /** Every capture, in the manifest's order. */
    List<LabelledCapture> captures() {
        return List.copyOf(vectors.keySet());
    }

    List<FeatureVector> of(LabelledCapture capture) {
        return vectors.get(capture);
    }

    /** Benign captures that have vectors, by name: the training folds. */
    List<LabelledCapture> benign() {
        return vectors.keySet().stream().filter(c -> c.benign() && !of(c).isEmpty()).sorted(Comparator.comparing(LabelledCapture::name))
                .toList();
    }

    List<LabelledCapture> attacks() {
        return vectors.keySet().stream().filter(c -> !c.benign()).toList();
    }

    /** Names of those captures that have vectors, in the given order: what scikit-learn's CSVs hold. */
    List<String> named(List<LabelledCapture> captures) {
        return captures.stream().filter(c -> !of(c).isEmpty()).map(LabelledCapture::name).toList();
    }

    /** Capture name → vectors, for the captures that have some. */
    Map<String, List<FeatureVector>> byName() {
        Map<String, List<FeatureVector>> byName = new TreeMap<>();
        vectors.forEach((c, v) -> {
            if (!v.isEmpty()) {
                byName.put(c.name(), v);
            }
        });
        return byName;
    }

    /** Cuts one run of scores back into the captures it scored, named in scoring order. */
    List<CaptureScores> split(double[] scores, List<String> names) {
        List<CaptureScores> out = new ArrayList<>();
        int from = 0;
        for (String name : names) {
            LabelledCapture capture = vectors.keySet().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
            int to = from + of(capture).size();
            out.add(new CaptureScores(capture, Arrays.copyOfRange(scores, from, to), 0));
            from = to;
        }
        if (from != scores.length) {
            throw new IllegalStateException(scores.length + " scores for " + from + " rows");
        }
        return out;
    }

    /** Attack category → {captures, vectors}. */
    Map<String, long[]> categories() {
        Map<String, long[]> categories = new TreeMap<>();
        for (LabelledCapture capture : attacks()) {
            long[] counts = categories.computeIfAbsent(capture.category(), k -> new long[2]);
            counts[0]++;
            counts[1] += of(capture).size();
        }
        return categories;
    }

    long notFinite() {
        return notFinite;
    }

    /** One line: how much there is. */
    String summary() {
        return String.format("%d captures, %d flow vectors (%d benign in %d captures), %d left out as not finite", vectors.size(),
                vectors.values().stream().mapToInt(List::size).sum(), benign().stream().mapToInt(c -> of(c).size()).sum(),
                benign().size(), notFinite);
    }
}
