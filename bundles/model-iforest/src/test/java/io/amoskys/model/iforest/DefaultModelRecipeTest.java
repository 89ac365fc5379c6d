package io.amoskys.model.iforest;

import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.amoskys.model.format.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The build-time recipe of the default Isolation Forest: the flow vectors of the benign captures
 * in ../shared/data/pcap (per its MANIFEST.tsv), through the default stages, seed 1, 100 trees of
 * 256 rows. Writes {@code target/model/NAME-VERSION.onnx} and {@code target/model/NAME.json} (the
 * descriptor, unsigned: whoever packs the model bundle signs it), byte for byte the same on every
 * run (no clock in them; checked here by training twice). Run alone with
 * {@code mvn -o -q test -pl bundles/model-iforest -Dtest=DefaultModelRecipeTest}; system
 * properties {@code amoskys.model.out}, {@code amoskys.model.name}, {@code amoskys.model.version}
 * change where it goes and what it is called.
 */
class DefaultModelRecipeTest {
    static final String RECIPE = "bundles/model-iforest/src/test/java/io/amoskys/model/iforest/DefaultModelRecipeTest.java";

    @Test
    void trainTheDefaultModel() throws Exception {
        Path out = Path.of(System.getProperty("amoskys.model.out", "target/model"));
        String name = System.getProperty("amoskys.model.name", "iforest");
        String version = System.getProperty("amoskys.model.version", "1.0.0");

        ModelDescriptor descriptor = IsolationForestDescriptors.describe(train(), name, version, Map.of("recipe", RECIPE));
        TrainedIsolationForest again = train();
        assertArrayEquals(descriptor.toJson(), IsolationForestDescriptors.describe(again, name, version, Map.of("recipe", RECIPE)).toJson());

        Files.createDirectories(out);
        Path onnx = out.resolve(Path.of(descriptor.onnx()).getFileName());
        Files.write(onnx, again.onnx());
        Path json = out.resolve(name + ".json");
        Files.write(json, descriptor.toJson());
        System.out.printf("default model: %s (%d bytes, sha256 %s) and %s; %d features, threshold %.4f%n", onnx.toAbsolutePath(),
                again.onnx().length, descriptor.onnxSha256(), json.toAbsolutePath(), descriptor.features().size(), descriptor.threshold());
    }

    private static TrainedIsolationForest train() throws Exception {
        IsolationForestParameters parameters = IsolationForestParameters.DEFAULTS;
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, parameters.seed());
        TrainingSources.fromCaptures(Stages.exports(), Stages.flowAgent(), TrainingSources.baselineCaptures(Stages.CAPTURES), "flow", set);
        return IsolationForestTrainer.train(set, parameters);
    }
}
