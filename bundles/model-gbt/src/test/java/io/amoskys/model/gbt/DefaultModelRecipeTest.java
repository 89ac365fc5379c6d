package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.amoskys.model.format.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recipe of the default gradient-boosted trees model: the flow vectors of every capture in
 * ../shared/data/pcap through the default stages, labelled by MANIFEST.tsv (benign 0, any attack
 * class 1), XGBoost with {@link GbtParameters#DEFAULTS} (100 rounds, depth 6, eta 0.3, seed 1, one
 * thread, classes balanced). Writes {@code target/model/NAME-VERSION.onnx} and
 * {@code target/model/NAME.json} (the descriptor, unsigned: whoever packs the model bundle signs
 * it; its {@code training.metrics} is the leave-one-capture-out evaluation), byte for byte the same
 * on every run (checked here by training twice). Run alone with
 * {@code mvn -o -q test -pl bundles/model-gbt -Dtest=DefaultModelRecipeTest}; system properties
 * {@code amoskys.model.out}, {@code amoskys.model.name}, {@code amoskys.model.version} change where
 * it goes and what it is called.
 */
class DefaultModelRecipeTest {
    static final String RECIPE = "bundles/model-gbt/src/test/java/io/amoskys/model/gbt/DefaultModelRecipeTest.java";

    @Test
    void trainTheDefaultModel() throws Exception {
        Path out = Path.of(System.getProperty("amoskys.model.out", "target/model"));
        String name = System.getProperty("amoskys.model.name", "gbt");
        String version = System.getProperty("amoskys.model.version", "1.0.0");

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("recipe", RECIPE);
        extra.put("metrics", Captures.evaluation().toJson());
        TrainedGbt model = GbtTrainer.train(Captures.all(), GbtParameters.DEFAULTS);
        TrainedGbt again = GbtTrainer.train(Captures.all(), GbtParameters.DEFAULTS);
        try {
            ModelDescriptor descriptor = GbtDescriptors.describe(model, name, version, extra);
            assertArrayEquals(descriptor.toJson(), GbtDescriptors.describe(again, name, version, extra).toJson());
            assertArrayEquals(descriptor.toJson(), ModelDescriptor.parse(descriptor.toJson()).toJson());

            Files.createDirectories(out);
            Path onnx = out.resolve(Path.of(descriptor.onnx()).getFileName());
            Files.write(onnx, again.onnx());
            Path json = out.resolve(name + ".json");
            Files.write(json, descriptor.toJson());
            System.out.printf("default model: %s (%d bytes, sha256 %s) and %s; %d features, %d trees, threshold %.2f%n",
                    onnx.toAbsolutePath(), again.onnx().length, descriptor.onnxSha256(), json.toAbsolutePath(),
                    descriptor.features().size(), model.trees().trees().size(), descriptor.threshold());
        } finally {
            model.booster().dispose();
            again.booster().dispose();
        }
    }
}
