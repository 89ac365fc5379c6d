package io.amoskys.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.Ed25519Keys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
    @TempDir
    Path dir;

    @Test
    void aRotationWithAGraceTooLongChangesNothing() throws Exception {
        TrustStore trust = new TrustStore(dir);
        TrustedKey old = trust.enroll("edge-1", Ed25519Keys.generate().getPublic());
        PublicKey next = Ed25519Keys.generate().getPublic();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trust.rotate("edge-1", next, Duration.ofHours(10_000_000_000_000L)));
        assertTrue(e.getMessage().contains("grace must be 0 to 8760 hours"), e.getMessage());
        assertEquals(1, trust.list().size(), "the new key is not enrolled");
        assertNull(trust.find(old.keyId()).orElseThrow().expires(), "the old key keeps no expiry");
        assertThrows(IllegalArgumentException.class, () -> trust.rotate("edge-1", next, Duration.ofHours(-1)));

        TrustedKey rotated = trust.rotate("edge-1", next, TrustStore.MAX_GRACE);
        assertEquals(2, trust.list().size());
        assertTrue(trust.find(old.keyId()).orElseThrow().expires() != null, "a year's grace is taken: " + rotated);
    }
}
