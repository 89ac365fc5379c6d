package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's promotions as kept on disk, and what a damaged file costs. */
class PromotionStateTest {
    @TempDir
    Path dir;

    @Test
    void decisionsAreKeptAcrossARestart() {
        Path file = dir.resolve("promotions.properties");
        new PromotionState(file).record("iforest", "2.0.0", "1.0.0");
        new PromotionState(file).record("gbt", "1.1.0", null);

        PromotionState restarted = new PromotionState(file);
        assertEquals(new PromotionState.Decision("2.0.0", "1.0.0"), restarted.decision("iforest"));
        assertEquals(new PromotionState.Decision("1.1.0", null), restarted.decision("gbt"));
        assertEquals(PromotionState.Decision.NONE, restarted.decision("lstm"));
    }

    @Test
    void aByteThatIsNoUtf8CostsNoDecision() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("# edited by Jos".getBytes(StandardCharsets.US_ASCII));
        text.write(0xe9); // Latin-1
        text.writeBytes("\niforest.active=2.0.0\ngbt.active=1.1.0\n".getBytes(StandardCharsets.US_ASCII));
        Path file = Files.write(dir.resolve("promotions.properties"), text.toByteArray());

        PromotionState state = new PromotionState(file);
        assertEquals("2.0.0", state.decision("iforest").active());
        assertEquals("1.1.0", state.decision("gbt").active());
    }

    @Test
    void aFileThatCannotBeReadIsNeverWrittenOver() throws Exception {
        Path file = Files.writeString(dir.resolve("promotions.properties"),
                "iforest.active=2.0.0\nbroken=\\uZZZZ\ngbt.active=1.1.0\n", StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(file);

        PromotionState state = new PromotionState(file);
        assertEquals(PromotionState.Decision.NONE, state.decision("iforest"), "none of a damaged file applies, as the log says");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> state.record("lstm", "3.0.0", null));
        assertTrue(e.getMessage().contains("could not be read") && e.getMessage().contains("fix or remove it"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "gbt's decision, after the damage, is still on disk");
    }
}
