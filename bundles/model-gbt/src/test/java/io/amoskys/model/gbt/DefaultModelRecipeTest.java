package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.amoskys.model.format.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recipe of the default gradient-boosted trees model, the one the distribution ships
 * ({@code bundles/models/gbt}): the flow vectors of every capture in ../shared/data/pcap through the
 * default stages, labelled by MANIFEST.tsv (benign 0, any attack class 1), XGBoost with
 * {@link GbtParameters#DEFAULTS} (100 rounds, depth 6, eta 0.3, seed 1, one thread, classes
 * balanced). Training is repeatable byte for byte (checked by training twice), and the test checks
 * that what it trains is, byte for byte, the committed
 * {@code bundles/models/gbt/src/main/model/gbt-1.0.0.onnx} and {@code gbt.json} (the descriptor,
 * unsigned: the build signs it when it packs the model bundle; its {@code training.metrics} is the
 * leave-one-capture-out evaluation). After a deliberate change, rewrite them with
 * {@code mvn -o -q test -pl bundles/model-gbt -Dtest=DefaultModelRecipeTest -Damoskys.model.write=true}
 * and commit them. {@code amoskys.model.out}, {@code amoskys.model.name}, {@code amoskys.model.version}
 * change where they are and what the model is called.
 */
class DefaultModelRecipeTest {
    static final String RECIPE = "bundles/model-gbt/src/test/java/io/amoskys/model/gbt/DefaultModelRecipeTest.java";
    static final String REGENERATE = "mvn -o -q test -pl bundles/model-gbt -Dtest=DefaultModelRecipeTest -Damoskys.model.write=true";

    @Test
    void trainTheDefaultModel() throws Exception {
        Path out = Path.of(System.getProperty("amoskys.model.out", "../models/gbt/src/main/model"));
        boolean write = Boolean.getBoolean("amoskys.model.write");
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

            assertArrayEquals(model.onnx(), again.onnx(), "training twice gave two ONNX files");

            Path onnx = out.resolve(Path.of(descriptor.onnx()).getFileName());
            Path json = out.resolve(name + ".json");
            if (write) {
                Files.createDirectories(out);
                Files.write(onnx, model.onnx());
                Files.write(json, descriptor.toJson());
            }
            System.out.printf("default model: %s (%d bytes, sha256 %s) and %s (%d bytes); %d features, %d trees, threshold %.2f%s%n",
                    onnx.toAbsolutePath().normalize(), model.onnx().length, descriptor.onnxSha256(), json.toAbsolutePath().normalize(),
                    descriptor.toJson().length, descriptor.features().size(), model.trees().trees().size(), descriptor.threshold(),
                    write ? "; written" : "");
            assertCommitted(onnx, model.onnx());
            assertCommitted(json, descriptor.toJson());
        } finally {
            model.booster().dispose();
            again.booster().dispose();
        }
    }

    /** The committed file must be what the recipe makes now, byte for byte. */
    static void assertCommitted(Path file, byte[] trained) throws Exception {
        if (!Files.isRegularFile(file)) {
            fail(file.toAbsolutePath().normalize() + " is missing: train it with `" + REGENERATE + "` and commit it");
        }
        if (!Arrays.equals(Files.readAllBytes(file), trained)) {
            fail(file.toAbsolutePath().normalize() + " is not what the recipe trains now (the captures, the stages, the trainer, "
                    + "XGBoost or the exporter changed): if that is intended, rewrite it with `" + REGENERATE + "` and commit it");
        }
    }
}
