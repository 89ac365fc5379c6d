package io.amoskys.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void keepsOrderAcrossARestartAndNeverReusesASequence() throws IOException {
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            for (long seq = 1; seq <= 10; seq++) {
                spool.append(seq, payload(seq, 100));
            }
            assertThrows(IllegalArgumentException.class, () -> spool.append(12, payload(12, 1)));
        }
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            assertEquals(11, spool.nextSequence());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), drain(spool, 0));
            assertArrayEquals(payload(7, 100), spool.next(6).envelope());
            spool.acknowledge(4);
            assertEquals(6, spool.pending());
            assertEquals(5, spool.next(0).sequence(), "answered envelopes are not sent again");
            spool.acknowledge(10);
            assertEquals(0, spool.pending());
            assertNull(spool.next(0));
            assertEquals(List.of(), segments(), "a fully answered segment is deleted");
        }
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            assertEquals(11, spool.nextSequence(), "the sequence survives an empty spool");
            spool.append(11, payload(11, 10));
            assertEquals(List.of(11L), drain(spool, 0));
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void dropsTheOldestPastItsBoundAndCountsThem() throws IOException {
        // 216 bytes a record, segments of 250 bytes: one record each, at most 9 within 2000 bytes.
        try (Spool spool = Spool.open(dir, 2000, log::add)) {
            for (long seq = 1; seq <= 3; seq++) {
                spool.append(seq, payload(seq, 200));
            }
            spool.acknowledge(2);
            for (long seq = 4; seq <= 20; seq++) {
                spool.append(seq, payload(seq, 200));
            }
            assertTrue(spool.bytes() <= 2000, "bytes " + spool.bytes());
            assertEquals(9, spool.pending());
            assertEquals(12 - 3, spool.dropped(), "3..11 were dropped unanswered; 1 and 2 had been answered");
            assertEquals(List.of(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), drain(spool, 0));
            assertEquals(12, spool.next(5).sequence(), "a sender past a dropped envelope goes on from the oldest kept");
            spool.acknowledge(7); // an answer for an envelope dropped while in flight
            assertEquals(9, spool.pending());
        }
        assertEquals(9, log.size(), log.toString());
        assertTrue(log.get(0).contains("dropped the 1 oldest unacknowledged envelopes (sequences 3..3)"), log.get(0));
    }

    @Test
    void aTornLastRecordIsCutOffAndTheRestKept() throws IOException {
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            for (long seq = 1; seq <= 3; seq++) {
                spool.append(seq, payload(seq, 50));
            }
        }
        Files.write(segments().get(0), new byte[] {0, 0, 0, 50, 0, 0}, StandardOpenOption.APPEND);
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            assertEquals(List.of(1L, 2L, 3L), drain(spool, 0));
            spool.append(4, payload(4, 50));
            assertArrayEquals(payload(4, 50), spool.next(3).envelope());
        }
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("torn"), log.get(0));
    }

    @Test
    void oneAgentPerSpool() throws IOException {
        try (Spool spool = Spool.open(dir, 1 << 20, log::add)) {
            IOException e = assertThrows(IOException.class, () -> Spool.open(dir, 1 << 20, log::add));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    private static List<Long> drain(Spool spool, long after) throws IOException {
        List<Long> sequences = new ArrayList<>();
        for (Spool.Record r = spool.next(after); r != null; r = spool.next(r.sequence())) {
            assertArrayEquals(payload(r.sequence(), r.envelope().length), r.envelope());
            sequences.add(r.sequence());
        }
        return sequences;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** Bytes that name their sequence, so a mix-up shows. */
    private static byte[] payload(long sequence, int length) {
        byte[] bytes = new byte[length];
        byte[] name = Long.toString(sequence).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            bytes[i] = name[i % name.length];
        }
        return bytes;
    }
}
