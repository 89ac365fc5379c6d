package io.amoskys.responder.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How nft's failures map to outcomes, with small scripts standing in for nft. */
class NftablesOutcomeTest {
    @TempDir
    Path dir;

    private NftablesResponder responderRunning(String script, Map<String, Object> more) throws IOException {
        Path nft = dir.resolve("nft");
        Files.writeString(nft, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> config = new java.util.HashMap<>(more);
        config.put("nftPath", nft.toString());
        return new NftablesResponder(Configs.nftables(config));
    }

    private static Action block(NftablesResponder responder) {
        Alert alert = Alert.builder().id("a1").rule("scan").entityId("host:192.0.2.9").title("scan").build();
        return new Action("act-1", "nftables", "a1", "scan", alert.entityId(), responder.plan(alert).get(0), 1);
    }

    private ActionOutcome execute(String script) throws Exception {
        NftablesResponder responder = responderRunning(script, Map.of("commandTimeoutSeconds", 1));
        return responder.execute(block(responder));
    }

    @Test
    void permissionDeniedFailsForGoodWithNftsMessage() throws Exception {
        ActionOutcome outcome = execute("cat > /dev/null; echo 'Error: Could not process rule: Operation not permitted' >&2; exit 1");
        assertEquals(Status.FAILED, outcome.status());
        assertTrue(outcome.output().contains("stderr: Error: Could not process rule: Operation not permitted"), outcome.output());
        assertTrue(outcome.output().contains("add element inet amoskys blocked4 { 192.0.2.9 timeout 600s"), outcome.output());
    }

    @Test
    void aPassingFailureIsRetried() throws Exception {
        ActionOutcome outcome = execute("cat > /dev/null; echo 'netlink: Error: Resource temporarily unavailable' >&2; exit 1");
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
    }

    @Test
    void aHangingNftIsKilledAndRetried() throws Exception {
        ActionOutcome outcome = execute("exec tail -f /dev/null");
        assertEquals(Status.RETRY, outcome.status());
        assertTrue(outcome.output().contains("timed out"), outcome.output());
    }

    @Test
    void whatNftReadsIsTheBlockScriptAndItsOutputIsBounded() throws Exception {
        ActionOutcome outcome = execute("cat; head -c 100000 /dev/zero | tr '\\0' x >&2");
        assertEquals(Status.SUCCEEDED, outcome.status());
        assertTrue(outcome.output().contains("stdout: add table inet amoskys"), outcome.output());
        assertTrue(outcome.output().length() < 3 * NftCommand.MAX_CAPTURE + 2000, "bounded: " + outcome.output().length());
        assertTrue(outcome.output().endsWith("[truncated]"), outcome.output());
    }

    @Test
    void nftMissingFailsWithoutRunningAnything() throws Exception {
        NftablesResponder planner = responderRunning("exit 0", Map.of());
        Action action = block(planner);
        Files.delete(dir.resolve("nft"));
        ActionOutcome outcome = planner.execute(action);
        assertEquals(Status.FAILED, outcome.status());
        assertTrue(outcome.output().contains("nft not found at"), outcome.output());
    }

    @Test
    void undoOfAnElementAlreadyGoneSucceeds() throws Exception {
        NftablesResponder responder = responderRunning(
                "echo 'Error: Could not process rule: No such file or directory' >&2; exit 1", Map.of());
        ActionOutcome outcome = responder.undo(block(responder));
        assertEquals(Status.SUCCEEDED, outcome.status());
        assertTrue(outcome.output().startsWith("already expired: 192.0.2.9 is not in set inet amoskys blocked4"), outcome.output());
    }
}
