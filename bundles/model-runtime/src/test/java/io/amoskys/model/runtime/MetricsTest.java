package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
    static final byte[] ONNX = TestModels.logistic(0.001f, 0.1f, -0.5f);

    @TempDir
    Path folder;

    @Test
    void everyFamilyOnceWithItsSamplesLabelledByModelAndVersion() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("lr", "1.0.0", ONNX).build(), ONNX));
            h.start(h.bundle(Harness.descriptor("lr", "1.1.0", ONNX).build(), ONNX));
            ModelDescriptor unsigned = Harness.descriptor("bad", "1.0.0", ONNX).build();
            ByteArrayOutputStream jar = new ByteArrayOutputStream();
            ModelBundleWriter.writeRaw(jar, unsigned, unsigned.toJson(), null, ONNX);
            h.start(jar.toByteArray());
            h.detectors.get("lr").score(Harness.vector(1, 2, 3));
            h.detectors.get("lr").score(Harness.vector(Double.NaN, 2, 3));

            StringBuilder out = new StringBuilder();
            h.metrics.writePrometheus(out);
            String text = out.toString();

            Set<String> declared = new HashSet<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    assertTrue(declared.add(line.split(" ")[2]), "declared twice: " + line);
                } else if (!line.startsWith("#")) {
                    String name = line.substring(0, line.indexOf('{'));
                    String family = name.replaceFirst("_(bucket|sum|count)$", "");
                    assertTrue(declared.contains(name) || declared.contains(family), "undeclared: " + line);
                    assertTrue(name.startsWith("amoskys_model_"), line);
                }
            }
            assertTrue(text.contains("amoskys_model_rows_total{model=\"lr\",version=\"1.0.0\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_rows_total{model=\"lr\",version=\"1.1.0\"} 1\n"), "shadow rows: " + text);
            assertTrue(text.contains("amoskys_model_errors_total{model=\"lr\",version=\"1.0.0\",reason=\"non-finite\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_state{model=\"lr\",version=\"1.1.0\",state=\"shadow\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_refused{model=\"bad\",version=\"1.0.0\",reason=\"unsigned\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_shadow_compared_rows{model=\"lr\",version=\"1.1.0\",active=\"1.0.0\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_score_count{model=\"lr\",version=\"1.0.0\"} 1\n"), text);
            assertTrue(text.contains("amoskys_model_call_seconds_bucket{model=\"lr\",version=\"1.0.0\",le=\"+Inf\"} 1\n"), text);
            assertEquals(1, text.split("# TYPE amoskys_model_refused_total ").length - 1);
        }
    }
}
