package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.runtime.admin.ScoreDistribution;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every loaded version's score distribution through the admin service, as the dashboard draws it. */
class DistributionTest {
    static final byte[] ONNX = TestModels.logistic(0.001f, 0.1f, -0.5f);

    @TempDir
    Path folder;

    @Test
    void eachLoadedVersionCountsItsScoresPerBucketAndRefusedOnesHaveNone() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("lr", "1.0.0", ONNX).build(), ONNX));
            h.start(h.bundle(Harness.descriptor("lr", "1.1.0", ONNX).build(), ONNX));
            ModelDescriptor unsigned = Harness.descriptor("bad", "1.0.0", ONNX).build();
            ByteArrayOutputStream jar = new ByteArrayOutputStream();
            ModelBundleWriter.writeRaw(jar, unsigned, unsigned.toJson(), null, ONNX);
            h.start(jar.toByteArray());
            Score score = h.detectors.get("lr").score(Harness.vector(1, 2, 3));
            h.detectors.get("lr").score(Harness.vector(4, 5, 6));

            List<ScoreDistribution> all = h.catalog.scoreDistributions();
            assertEquals(List.of("lr 1.1.0", "lr 1.0.0"), all.stream().map(d -> d.name() + " " + d.version()).toList(),
                    "loaded versions only, newest first");
            ScoreDistribution active = all.get(1);
            assertEquals(Histogram.SCORES.length + 1, active.counts().size(), "a bucket above the last bound too");
            assertEquals(Histogram.SCORES.length, active.upperBounds().size());
            assertEquals(2L, active.counts().stream().mapToLong(Long::longValue).sum());
            int bucket = 0;
            while (bucket < Histogram.SCORES.length && score.value() > Histogram.SCORES[bucket]) {
                bucket++;
            }
            assertTrue(active.counts().get(bucket) >= 1, "the score " + score.value() + " in its bucket: " + active);
            assertEquals(2L, all.get(0).counts().stream().mapToLong(Long::longValue).sum(), "the shadow scored the same vectors");
        }
    }
}
