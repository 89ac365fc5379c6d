package io.amoskys.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ModelDescriptorTest {

    @Test
    void roundTripsThroughItsCanonicalJson() {
        ModelDescriptor descriptor = Descriptors.valid().outputIndex(1).build();
        byte[] json = descriptor.toJson();
        ModelDescriptor parsed = ModelDescriptor.parse(json);

        assertEquals(descriptor, parsed);
        assertArrayEquals(json, parsed.toJson(), "parsing and writing again gives the same bytes");
        assertEquals("iforest", parsed.name());
        assertEquals(List.of("bytes", "packets", "duration"), parsed.features());
        assertEquals(OptionalInt.of(1), parsed.outputIndex());
        assertEquals(Calibration.minmax(0.3, 0.8), parsed.calibration());
        assertEquals(0.7, parsed.threshold());
        assertEquals(ModelDescriptor.sha256(Descriptors.ONNX), parsed.onnxSha256());
        Map<?, ?> metrics = (Map<?, ?>) parsed.training().get("metrics");
        assertEquals(0.93, ((Number) metrics.get("auc")).doubleValue());
    }

    @Test
    void writesFieldsInAFixedOrderAndTrainingKeysSorted() {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("z", 1);
        training.put("a", List.of(1.5, "x", true));
        String json = new String(Descriptors.valid().training(training).build().toJson(), StandardCharsets.UTF_8);

        int last = -1;
        for (String field : List.of("name", "version", "schema", "features", "input", "output", "outputMeaning",
                "calibration", "threshold", "onnx", "onnxSha256", "training")) {
            int at = json.indexOf("\"" + field + "\":");
            assertTrue(at > last, field + " comes after the fields before it in:\n" + json);
            last = at;
        }
        assertTrue(json.indexOf("\"a\": [1.5, \"x\", true]") < json.indexOf("\"z\": 1"), json);
        assertTrue(json.startsWith("{\n  \"name\": \"iforest\",\n"), json);
        assertTrue(json.endsWith("}\n"), json);
    }

    @Test
    void theSameModelGivesTheSameBytesWhateverTheMapOrder() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("rows", 5);
        one.put("code", "iforest-1");
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("code", "iforest-1");
        other.put("rows", 5L);
        assertArrayEquals(Descriptors.valid().training(one).build().toJson(),
                Descriptors.valid().training(other).build().toJson());
    }

    @Test
    void aWindowOfOneIsTheAbsentFieldSoOlderDescriptorsKeepTheirBytes() {
        ModelDescriptor single = Descriptors.valid().build();
        assertEquals(1, single.window());
        String json = new String(single.toJson(), StandardCharsets.UTF_8);
        assertTrue(!json.contains("\"window\""), json);
        assertArrayEquals(single.toJson(), Descriptors.valid().window(1).build().toJson());
        assertEquals(1, parse(json.replace("\"input\"", "\"window\": 1,\n  \"input\"")).window());
    }

    @Test
    void aSequenceModelNamesItsWindowAfterTheFeatures() {
        ModelDescriptor sequence = Descriptors.valid().window(8).build();
        String json = new String(sequence.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"duration\"],\n  \"window\": 8,\n  \"input\": \"X\""), json);
        ModelDescriptor parsed = ModelDescriptor.parse(sequence.toJson());
        assertEquals(8, parsed.window());
        assertArrayEquals(sequence.toJson(), parsed.toJson());
        assertEquals(8, parsed.toBuilder().build().window());

        assertField("window", () -> Descriptors.valid().window(0).build());
        assertField("window", () -> Descriptors.valid().window(ModelDescriptor.MAX_WINDOW + 1).build());
        assertField("window", () -> parse(json.replace("\"window\": 8", "\"window\": 2.5")));
        assertField("window", () -> parse(json.replace("\"window\": 8", "\"window\": \"8\"")));
        assertField("window", () -> parse(json.replace("\"window\": 8", "\"window\": -3")));
    }

    @Test
    void readsFeatureStatsWhenTheTrainerRecordedThem() {
        FeatureStats stats = new FeatureStats(new double[] {1, 2, 3}, new double[] {0.5, 0, 4});
        ModelDescriptor d = ModelDescriptor.parse(Descriptors.valid()
                .training(Map.of("featureStats", stats.toJson())).build().toJson());
        assertEquals(2.0, d.featureStats().orElseThrow().mean(1));
        assertEquals(4.0, d.featureStats().orElseThrow().std(2));

        FeatureStats wrongLength = new FeatureStats(new double[] {1}, new double[] {1});
        assertField("training", () -> Descriptors.valid().training(Map.of("featureStats", wrongLength.toJson())).build());
    }

    @Test
    void namesTheFieldAtFault() {
        assertField("name", () -> Descriptors.valid().name("../evil").build());
        assertField("version", () -> Descriptors.valid().version("1.0").build());
        assertField("threshold", () -> Descriptors.valid().threshold(1.5).build());
        assertField("threshold", () -> Descriptors.valid().threshold(Double.NaN).build());
        assertField("features", () -> Descriptors.valid().features(List.of("a", "a")).build());
        assertField("features", () -> Descriptors.valid().features(List.of()).build());
        assertField("onnx", () -> Descriptors.valid().onnx("../x.onnx", Descriptors.ONNX).build());
        assertField("onnx", () -> Descriptors.valid().onnx("/etc/x.onnx", Descriptors.ONNX).build());
        assertField("onnxSha256", () -> Descriptors.valid().onnx("models/x.onnx", "ABC").build());
        assertField("outputMeaning", () -> Descriptors.valid().outputMeaning(" ").build());
        assertField("outputIndex", () -> Descriptors.valid().outputIndex(-2).build());
        assertField("training", () -> Descriptors.valid().training(Map.of("auc", Double.NaN)).build());
    }

    @Test
    void parsingNamesTheFieldAtFault() {
        String good = new String(Descriptors.valid().build().toJson(), StandardCharsets.UTF_8);
        assertField("threshold", () -> parse(good.replace("\"threshold\": 0.7", "\"threshold\": \"high\"")));
        assertField("features", () -> parse(good.replace("\"features\": [\"bytes\"", "\"features\": [7")));
        assertField("treshold", () -> parse(good.replace("\"threshold\"", "\"treshold\"")));
        assertField("schema", () -> parse(good.replace("  \"schema\": \"flow:canonical.1+temporal.1\",\n", "")));
        assertField("calibration", () -> parse(good.replace("\"minmax\"", "\"sigmoid\"")));
        assertField("calibration", () -> parse(good.replace("\"max\": 0.8", "\"max\": 0.2")));
        assertField("outputIndex", () -> parse(good.replace("\"outputMeaning\"", "\"outputIndex\": 1.5,\n  \"outputMeaning\"")));
        DescriptorException notJson = assertThrows(DescriptorException.class, () -> parse("{\"name\": "));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());
        assertThrows(DescriptorException.class, () -> parse("[1, 2]"));
        assertThrows(DescriptorException.class, () -> ModelDescriptor.parse(new byte[] {'{', (byte) 0xff, '}'}));
    }

    private static ModelDescriptor parse(String json) {
        return ModelDescriptor.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertField(String field, org.junit.jupiter.api.function.Executable make) {
        DescriptorException e = assertThrows(DescriptorException.class, make);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }
}
