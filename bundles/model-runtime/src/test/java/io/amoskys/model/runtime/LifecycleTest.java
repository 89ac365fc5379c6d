package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions of one model: shadow beside the active one, promotion, rollback, removal, isolation. */
class LifecycleTest {
    static final float[] V1 = {0.001f, 0.1f, -0.5f};
    static final float[] V2 = {0.002f, 0.05f, -1f};
    static final byte[] ONNX1 = TestModels.logistic(V1);
    static final byte[] ONNX2 = TestModels.logistic(V2);

    @TempDir
    Path folder;

    private static byte[] version1(Harness h) {
        return h.bundle(Harness.descriptor("lr", "1.0.0", ONNX1).build(), ONNX1);
    }

    private static byte[] version2(Harness h) {
        return h.bundle(Harness.descriptor("lr", "2.0.0", ONNX2).build(), ONNX2);
    }

    private static List<FeatureVector> vectors(int n) {
        List<FeatureVector> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Harness.vector(40 * i, i % 17, (i % 5) / 2.0));
        }
        return list;
    }

    @Test
    void aShadowIsScoredBesideTheActiveVersionAndComparedNotReturned() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            h.start(version2(h));
            assertEquals("shadow", h.status("lr", "2.0.0").state());

            List<FeatureVector> vectors = vectors(50);
            long agree = 0;
            double shiftSum = 0;
            double shiftMax = 0;
            for (FeatureVector v : vectors) {
                Score s = h.detectors.get("lr").score(v);
                assertEquals("1.0.0", s.modelVersion(), "the shadow's scores are not passed on");
                double e1 = TestModels.expected(V1, v.get(1), v.get(2), v.get(3));
                double e2 = TestModels.expected(V2, v.get(1), v.get(2), v.get(3));
                agree += (e1 >= 0.5) == (e2 >= 0.5) ? 1 : 0;
                shiftSum += Math.abs(e2 - e1);
                shiftMax = Math.max(shiftMax, Math.abs(e2 - e1));
            }

            ShadowReport report = h.catalog.compare("lr").get(0);
            assertEquals("2.0.0", report.shadowVersion());
            assertEquals("1.0.0", report.activeVersion());
            assertEquals(50, report.rows());
            assertEquals(agree / 50.0, report.agreement(), 1e-9);
            assertTrue(agree < 50, "the two versions disagree somewhere, or the test proves little");
            assertEquals(shiftSum / 50, report.meanShift(), 1e-5);
            assertEquals(shiftMax, report.maxShift(), 1e-5);
            assertTrue(report.activeP50Micros() > 0 && report.shadowP99Micros() >= report.shadowP50Micros());
            assertEquals(50, h.status("lr", "2.0.0").rows(), "the shadow's rows are counted");
        }
    }

    @Test
    void promoteThenRollBack() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            h.start(version2(h));
            Detector detector = h.detectors.get("lr");
            FeatureVector v = Harness.vector(500, 3, 1);

            String said = h.catalog.promote("lr", null);
            assertTrue(said.contains("promoted 2.0.0") && said.contains("1.0.0 is on standby"), said);
            assertEquals("2.0.0", detector.score(v).modelVersion());
            assertEquals(TestModels.expected(V2, 500, 3, 1), detector.score(v).value(), 1e-6);
            assertEquals(List.of("active", "standby"), states(h));
            assertEquals(List.of(), h.catalog.compare("lr"), "a standby version is not scored");

            h.catalog.rollback("lr");
            assertEquals("1.0.0", detector.score(v).modelVersion());
            assertEquals(List.of("standby", "active"), states(h));
            assertThrows(IllegalArgumentException.class, () -> h.catalog.promote("lr", "1.0.0"));
            assertThrows(IllegalArgumentException.class, () -> h.catalog.promote("lr", "3.0.0"));
            assertThrows(IllegalArgumentException.class, () -> h.catalog.rollback("nothing"));
        }
    }

    @Test
    void aPromotionOutlivesARestart() throws Exception {
        byte[] one;
        byte[] two;
        try (Harness h = new Harness(folder)) {
            one = version1(h);
            two = version2(h);
            h.start(one);
            h.start(two);
            h.catalog.promote("lr", "2.0.0");
        }
        try (Harness restarted = new Harness(folder)) {
            restarted.start(one); // started first, as the older bundle would be
            restarted.start(two);
            assertEquals(List.of("active", "standby"), states(restarted));
            assertEquals("2.0.0", restarted.detectors.get("lr").score(Harness.vector(1, 2, 3)).modelVersion());
            restarted.catalog.rollback("lr");
            assertEquals(List.of("standby", "active"), states(restarted));
        }
    }

    @Test
    void anUpgradeWhoseDecisionNamesAVersionNoLongerThereIsShownAsScoringNothing() throws Exception {
        byte[] one;
        byte[] two;
        try (Harness h = new Harness(folder)) {
            one = version1(h);
            two = version2(h);
            h.start(one); // the first version: active, and the decision records it
        }
        try (Harness upgraded = new Harness(folder)) {
            upgraded.start(two); // 1.0.0 is not installed any more
            assertEquals(List.of("shadow"), states(upgraded));
            assertNull(upgraded.detectors.get("lr").score(Harness.vector(1, 2, 3)), "no active version: nothing scores");
            assertEquals(List.of("lr"), io.amoskys.model.runtime.command.ModelsCommand.withoutActiveVersion(upgraded.catalog.models()),
                    "amoskys:models says so");
            upgraded.catalog.promote("lr", "2.0.0");
            assertEquals(List.of(), io.amoskys.model.runtime.command.ModelsCommand.withoutActiveVersion(upgraded.catalog.models()));
        }
    }

    @Test
    void whenTheActiveBundleStopsNoOtherVersionTakesOverUntilTheOperatorPromotesOne() throws Exception {
        try (Harness h = new Harness(folder)) {
            long one = h.start(version1(h));
            long two = h.start(version2(h));
            h.catalog.promote("lr", "2.0.0");
            Detector detector = h.detectors.get("lr");

            h.stop(two);
            assertNull(detector.score(Harness.vector(1, 2, 3)), "the standby 1.0.0 was not approved again");
            assertEquals(List.of("standby"), states(h));
            long again = h.start(version2(h));
            assertEquals("2.0.0", detector.score(Harness.vector(1, 2, 3)).modelVersion(), "the approved version is back");
            h.stop(again);
            h.catalog.promote("lr", "1.0.0");
            assertEquals("1.0.0", detector.score(Harness.vector(1, 2, 3)).modelVersion());
            assertEquals(detector, h.detectors.get("lr"), "the same detector serves the name throughout");
            h.stop(one);
            assertNull(h.detectors.get("lr"), "no version left: the detector goes");
            assertNull(detector.score(Harness.vector(1, 2, 3)));
        }
    }

    @Test
    void promotingWhileTheActiveBundleIsGoneKeepsItAsTheVersionToRollBackTo() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            long two = h.start(version2(h));
            h.catalog.promote("lr", "2.0.0");
            h.stop(two);
            String said = h.catalog.promote("lr", "1.0.0");
            assertEquals("model lr: promoted 1.0.0; a rollback returns to 2.0.0 once it is started again", said);
            assertEquals("1.0.0", h.detectors.get("lr").score(Harness.vector(1, 2, 3)).modelVersion());
            h.start(version2(h));
            assertEquals(List.of("standby", "active"), states(h), "2.0.0 came back beside the active 1.0.0");
            h.catalog.rollback("lr");
            assertEquals("2.0.0", h.detectors.get("lr").score(Harness.vector(1, 2, 3)).modelVersion(),
                    "the rollback returns to the version the operator turned from");
        }
    }

    @Test
    void anOlderVersionRestartedDoesNotTakeTheNewerShadowsPlace() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            long two = h.start(version2(h));
            h.start(h.bundle(Harness.descriptor("lr", "3.0.0", ONNX2).build(), ONNX2));
            h.stop(two);
            h.start(version2(h));
            assertEquals(List.of("shadow", "standby", "active"), states(h), "3.0.0 still shadows, 2.0.0 waits");
            h.catalog.promote("lr", null);
            assertEquals("3.0.0", h.detectors.get("lr").score(Harness.vector(1, 2, 3)).modelVersion(),
                    "promote without a version takes the newest shadow");
        }
    }

    @Test
    void onlyTheNewestVersionRunsInShadow() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            h.start(version2(h));
            h.start(h.bundle(Harness.descriptor("lr", "3.0.0", ONNX2).build(), ONNX2));
            assertEquals(List.of("shadow", "standby", "active"), states(h), "3.0.0, 2.0.0, 1.0.0: 2.0.0 stepped back when 3.0.0 came");
            h.detectors.get("lr").score(Harness.vector(1, 2, 3));
            assertEquals(1, h.catalog.compare("lr").size(), "one shadow scored beside the active version");
        }
    }

    @Test
    void noCallIsLostWhileVersionsSwitchAndAStandbyGoes() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (Harness h = new Harness(folder)) {
            h.start(version1(h));
            long two = h.start(version2(h));
            Detector detector = h.detectors.get("lr");
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(callers.submit(() -> {
                    long calls = 0;
                    while (running.get()) {
                        assertNotNull(detector.score(Harness.vector(calls % 900, 4, 1)), "call " + calls);
                        calls++;
                    }
                    return calls;
                }));
            }
            for (int i = 0; i < 100; i++) {
                h.catalog.promote("lr", "2.0.0");
                h.catalog.rollback("lr");
            }
            h.stop(two); // the standby's bundle goes while calls run
            running.set(false);
            for (Future<Long> calls : results) {
                assertTrue(calls.get(30, TimeUnit.SECONDS) > 0);
            }
            assertEquals(List.of("active"), states(h));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aModelThatFailsLosesOnlyItsOwnCalls() throws Exception {
        byte[] fragile = TestModels.failingOnBatches(V1);
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("fragile", "1.0.0", fragile).build(), fragile));
            h.start(version1(h));
            List<FeatureVector> two = vectors(2);

            assertEquals(java.util.Arrays.asList(null, null), h.detectors.get("fragile").scoreAll(two));
            assertEquals(2, h.catalog.entries().stream().filter(e -> e.version().name().equals("fragile"))
                    .findFirst().orElseThrow().version().stats.errors.get(ScoringError.ORT_ERROR).sum());
            assertEquals(2, h.detectors.get("lr").scoreAll(two).stream().filter(s -> s != null).count());
            assertNotNull(h.detectors.get("fragile").score(two.get(0)), "the next call is its own");
        }
    }

    private static List<String> states(Harness h) {
        return h.catalog.models().stream().map(ModelStatus::state).toList();
    }
}
