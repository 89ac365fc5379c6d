package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.feature.export.Stages;
import io.amoskys.model.format.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The recipe of the default Isolation Forest, the one the distribution ships
 * ({@code bundles/models/iforest}): the flow vectors of the benign captures in ../shared/data/pcap
 * (per its MANIFEST.tsv), through the default stages, seed 1, 100 trees of 256 rows, contamination
 * 0.1. Training is repeatable byte for byte (no clock in the files; checked by training twice), and
 * the test checks that what it trains is, byte for byte, the committed
 * {@code bundles/models/iforest/src/main/model/iforest-1.0.0.onnx} and {@code iforest.json} (the
 * unsigned descriptor: the build signs it when it packs the model bundle). After a deliberate
 * change, rewrite them with
 * {@code mvn -o -q test -pl bundles/model-iforest -Dtest=DefaultModelRecipeTest -Damoskys.model.write=true}
 * and commit them. {@code amoskys.model.out}, {@code amoskys.model.name}, {@code amoskys.model.version}
 * change where they are and what the model is called.
 *
 * <p>It also measures the default threshold on every capture of the manifest, and what it flags
 * of benign traffic the forest has not seen (each benign capture scored by a forest trained on the
 * other benign captures): the numbers of docs/DETECTION.md.
 */
class DefaultModelRecipeTest {
    static final String RECIPE = "bundles/model-iforest/src/test/java/io/amoskys/model/iforest/DefaultModelRecipeTest.java";
    static final String REGENERATE = "mvn -o -q test -pl bundles/model-iforest -Dtest=DefaultModelRecipeTest -Damoskys.model.write=true";

    @Test
    void trainTheDefaultModel() throws Exception {
        Path out = Path.of(System.getProperty("amoskys.model.out", "../models/iforest/src/main/model"));
        String name = System.getProperty("amoskys.model.name", "iforest");
        String version = System.getProperty("amoskys.model.version", "1.0.0");
        boolean write = Boolean.getBoolean("amoskys.model.write");

        TrainedIsolationForest model = train();
        ModelDescriptor descriptor = IsolationForestDescriptors.describe(model, name, version, Map.of("recipe", RECIPE));
        TrainedIsolationForest again = train();
        assertArrayEquals(model.onnx(), again.onnx(), "training twice gave two ONNX files");
        assertArrayEquals(descriptor.toJson(), IsolationForestDescriptors.describe(again, name, version, Map.of("recipe", RECIPE)).toJson());

        Path onnx = out.resolve(Path.of(descriptor.onnx()).getFileName());
        Path json = out.resolve(name + ".json");
        if (write) {
            Files.createDirectories(out);
            Files.write(onnx, model.onnx());
            Files.write(json, descriptor.toJson());
        }
        System.out.printf("default model: %s (%d bytes, sha256 %s) and %s (%d bytes); %d features, threshold %.4f%s%n",
                onnx.toAbsolutePath().normalize(), model.onnx().length, descriptor.onnxSha256(), json.toAbsolutePath().normalize(),
                descriptor.toJson().length, descriptor.features().size(), descriptor.threshold(), write ? "; written" : "");
        assertCommitted(onnx, model.onnx());
        assertCommitted(json, descriptor.toJson());
    }

    /** The committed file must be what the recipe makes now, byte for byte. */
    static void assertCommitted(Path file, byte[] trained) throws Exception {
        if (!Files.isRegularFile(file)) {
            fail(file.toAbsolutePath().normalize() + " is missing: train it with `" + REGENERATE + "` and commit it");
        }
        if (!Arrays.equals(Files.readAllBytes(file), trained)) {
            fail(file.toAbsolutePath().normalize() + " is not what the recipe trains now (the captures, the stages, the trainer "
                    + "or the exporter changed): if that is intended, rewrite it with `" + REGENERATE + "` and commit it");
        }
    }

    @Test
    void theDefaultThresholdFlagsMostAttackFlowsAndFewBenignOnes() throws Exception {
        List<String> lines = Files.readAllLines(Stages.CAPTURES.resolve(TrainingSources.MANIFEST));
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        Map<String, String> category = new TreeMap<>();
        Map<String, List<FeatureVector>> vectors = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            String file = cells[header.indexOf("file")];
            category.put(file, cells[header.indexOf("category")]);
            List<FeatureVector> list = new ArrayList<>();
            Stages.exports().vectors(Stages.flowAgent(), Stages.CAPTURES.resolve(file), "flow", list::add);
            vectors.put(file, list);
        }
        TrainedIsolationForest model = train();

        // Every capture scored by the default model: the benign ones are its own training rows.
        Map<String, long[]> flagged = new TreeMap<>(); // category → {flagged, vectors}
        for (Map.Entry<String, List<FeatureVector>> capture : vectors.entrySet()) {
            String cat = category.get(capture.getKey());
            String key = cat.startsWith("benign") ? "benign (training rows)" : cat;
            long[] counts = flagged.computeIfAbsent(key, k -> new long[2]);
            for (FeatureVector v : capture.getValue()) {
                counts[0] += model.forest().score(row(model, v)) >= model.threshold() ? 1 : 0;
                counts[1]++;
            }
        }
        long attackFlagged = 0;
        long attacks = 0;
        for (Map.Entry<String, long[]> e : flagged.entrySet()) {
            if (!e.getKey().startsWith("benign")) {
                attackFlagged += e.getValue()[0];
                attacks += e.getValue()[1];
            }
        }

        // Benign traffic the forest has not seen: each benign capture against a forest of the other benign captures.
        long heldOutFlagged = 0;
        long heldOut = 0;
        List<String> benign = category.entrySet().stream().filter(e -> e.getValue().startsWith("benign")).map(Map.Entry::getKey).toList();
        for (String left : benign) {
            if (vectors.get(left).isEmpty()) {
                continue;
            }
            TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, IsolationForestParameters.DEFAULTS.seed());
            benign.stream().filter(f -> !f.equals(left)).forEach(f -> vectors.get(f).forEach(set));
            TrainedIsolationForest fold = IsolationForestTrainer.train(set, IsolationForestParameters.DEFAULTS);
            for (FeatureVector v : vectors.get(left)) {
                heldOutFlagged += fold.forest().score(row(fold, v)) >= fold.threshold() ? 1 : 0;
                heldOut++;
            }
        }

        StringBuilder report = new StringBuilder();
        flagged.forEach((cat, c) -> report.append(String.format("  %-24s %5d of %5d flagged (%.3f)%n", cat, c[0], c[1], c[0] / (double) c[1])));
        report.append(String.format("  %-24s %5d of %5d flagged (%.3f)%n", "all attacks", attackFlagged, attacks, attackFlagged / (double) attacks));
        report.append(String.format("  %-24s %5d of %5d flagged (%.3f)%n", "benign, held out", heldOutFlagged, heldOut,
                heldOutFlagged / (double) heldOut));
        System.out.printf("default iforest threshold %.4f (contamination %s):%n%s", model.threshold(),
                IsolationForestParameters.DEFAULTS.contamination(), report);

        long[] training = flagged.get("benign (training rows)");
        assertEquals(60, training[1], report.toString());
        assertEquals(6, training[0], "the contamination, 10 % of the training rows, is flagged\n" + report);
        assertTrue(attackFlagged >= 0.80 * attacks, "at least 80 % of the attack flows flagged\n" + report);
        long[] scans = flagged.get("scan");
        assertTrue(scans[0] >= 0.90 * scans[1], "at least 90 % of the scan flows flagged\n" + report);
        assertTrue(heldOutFlagged <= 0.40 * heldOut, "at most 40 % of unseen benign flows flagged\n" + report);
    }

    private static double[] row(TrainedIsolationForest model, FeatureVector v) {
        double[] row = new double[model.features().size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) v.get(model.features().get(i)); // the float32 the ONNX model reads
        }
        return row;
    }

    private static TrainedIsolationForest train() throws Exception {
        IsolationForestParameters parameters = IsolationForestParameters.DEFAULTS;
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, parameters.seed());
        TrainingSources.fromCaptures(Stages.exports(), Stages.flowAgent(), TrainingSources.baselineCaptures(Stages.CAPTURES), "flow", set);
        return IsolationForestTrainer.train(set, parameters);
    }
}
