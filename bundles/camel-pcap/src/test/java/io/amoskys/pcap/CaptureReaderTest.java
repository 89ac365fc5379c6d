package io.amoskys.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReaderTest {
    @TempDir
    Path dir;

    private record Seen(int linkType, long nanos, int original, int captured) {}

    private static List<Seen> all(ByteBuffer data, CaptureStats[] stats) {
        List<Seen> seen = new ArrayList<>();
        stats[0] = CaptureReader.read(data, (link, nanos, original, frame) -> seen.add(new Seen(link, nanos, original, frame.remaining())));
        return seen;
    }

    private static ByteBuffer bytes(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file));
    }

    @Test
    void everyRealCaptureReadsWithTheManifestsPacketCountAndNoError() throws IOException {
        Map<String, Long> manifest = Captures.manifest();
        assertTrue(manifest.size() >= 30, "the manifest lists the captures");
        for (Map.Entry<String, Long> capture : manifest.entrySet()) {
            long[] bytes = {0};
            CaptureStats stats = CaptureReader.read(Captures.FOLDER.resolve(capture.getKey()),
                    (link, nanos, original, frame) -> bytes[0] += frame.remaining());
            assertEquals(capture.getValue(), stats.packets(), capture.getKey());
            assertEquals(0, stats.errorCount(), capture.getKey() + ": " + stats.firstMessages());
            assertEquals(stats.capturedBytes(), bytes[0]);
        }
    }

    @Test
    void aFileCutInsideARecordKeepsEveryWholePacketAndSaysWhere() throws IOException {
        byte[] whole = Files.readAllBytes(Captures.FOLDER.resolve("ppa_http.cap"));
        CaptureStats[] stats = new CaptureStats[1];
        List<Seen> complete = all(ByteBuffer.wrap(whole), stats);
        List<Seen> cut = all(ByteBuffer.wrap(whole, 0, whole.length - 10), stats);
        assertEquals(complete.subList(0, complete.size() - 1), cut);
        assertEquals(Map.of(CaptureError.TRUNCATED, 1L), stats[0].errors());
        assertTrue(stats[0].firstMessages().get(CaptureError.TRUNCATED).startsWith("record at offset "));
    }

    @Test
    void anAbsurdRecordLengthIsSkippedAndTheRestOfTheFileStillReads() throws IOException {
        byte[] data = Files.readAllBytes(Captures.FOLDER.resolve("ppa_http.cap"));
        CaptureStats[] stats = new CaptureStats[1];
        List<Seen> original = all(ByteBuffer.wrap(data), stats);
        // The fifth record's captured length becomes 0x7fff0000 (the file is little-endian).
        int pos = 24;
        for (int i = 0; i < 4; i++) {
            pos += 16 + ByteBuffer.wrap(data, pos + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        }
        data[pos + 10] = (byte) 0xff;
        data[pos + 11] = 0x7f;
        List<Seen> damaged = all(ByteBuffer.wrap(data), stats);
        assertEquals(Map.of(CaptureError.ABSURD_LENGTH, 1L), stats[0].errors());
        assertEquals(original.size() - 1, damaged.size());
        assertEquals(original.subList(5, original.size()), damaged.subList(4, damaged.size()), "everything after it");
    }

    @Test
    void aBrokenPcapngBlockIsSkippedAndReadingResumesAtTheNextBlock() throws IOException {
        byte[] data = Files.readAllBytes(Captures.FOLDER.resolve("sanders_http_google.pcapng"));
        CaptureStats[] stats = new CaptureStats[1];
        List<Seen> original = all(ByteBuffer.wrap(data), stats);
        // Break the trailing length of the first enhanced packet block.
        ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (b.getInt(pos) != 6) {
            pos += b.getInt(pos + 4);
        }
        b.putInt(pos + b.getInt(pos + 4) - 4, 0x1234);
        List<Seen> damaged = all(ByteBuffer.wrap(data), stats);
        assertEquals(1, stats[0].errorCount(), stats[0].toString());
        assertEquals(original.subList(1, original.size()), damaged);
    }

    @Test
    void aFileThatIsNoCaptureIsNamedSo() throws IOException {
        CaptureStats stats = CaptureReader.read(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes()), (l, t, o, f) -> { });
        assertEquals(Map.of(CaptureError.NOT_A_CAPTURE, 1L), stats.errors());
        assertTrue(stats.firstMessages().get(CaptureError.NOT_A_CAPTURE).contains("0x47455420"));
    }

    @Test
    void randomDamageNeverThrowsAndIsAlwaysCounted() throws IOException {
        Random random = new Random(20261125);
        for (String name : List.of("ppa_dns.cap", "sanders_tcp_ports.pcapng", "zeek_dhcp_flood.pcap")) {
            byte[] clean = Files.readAllBytes(Captures.FOLDER.resolve(name));
            long cleanPackets = CaptureReader.read(ByteBuffer.wrap(clean), (l, t, o, f) -> { }).packets();
            for (int round = 0; round < 300; round++) {
                byte[] data = clean.clone();
                int hits = 1 + random.nextInt(8);
                for (int i = 0; i < hits; i++) {
                    data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                }
                int length = random.nextInt(4) == 0 ? random.nextInt(data.length) : data.length;
                long[] delivered = {0};
                CaptureStats stats = CaptureReader.read(ByteBuffer.wrap(data, 0, length), (link, nanos, original, frame) -> {
                    assertTrue(frame.remaining() <= CaptureReader.MAX_PACKET);
                    assertTrue(frame.remaining() <= original);
                    delivered[0]++;
                });
                assertEquals(stats.packets(), delivered[0]);
                // A few damaged bytes cost a few records, never the rest of the file.
                assertTrue(length < data.length || stats.packets() > cleanPackets / 2, name + " round " + round + ": " + stats);
            }
        }
    }
}
