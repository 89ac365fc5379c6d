package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {
    @TempDir
    Path folder;

    @Test
    void latencyPercentilesComeWithinABucketsWidth() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 980; i++) {
            recorder.record(10_000);
        }
        for (int i = 0; i < 20; i++) {
            recorder.record(1_000_000);
        }
        assertEquals(10_000, recorder.quantileNanos(0.5), 10_000 * 0.1);
        assertEquals(1_000_000, recorder.quantileNanos(0.99), 1_000_000 * 0.1);
        assertEquals(0, new LatencyRecorder().quantileNanos(0.5));
    }

    @Test
    void versionsOrderNumerically() {
        assertEquals(List.of("1.2.0", "1.10.0", "2.0.0"),
                Stream.of("2.0.0", "1.10.0", "1.2.0").sorted(ModelVersions.ORDER).toList());
    }

    @Test
    void thePlatformKeyIsMadeOnceAndReadableByTheOwnerOnly() throws Exception {
        Path key = folder.resolve("etc/amoskys/models/platform.key");
        PlatformModelSigner first = new PlatformModelSigner(key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        PlatformModelSigner again = new PlatformModelSigner(key);
        assertEquals(first.keyId(), again.keyId());
        assertTrue(first.sign(new byte[] {1}).startsWith("keyId=" + first.keyId()));
    }
}
