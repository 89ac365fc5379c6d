package io.amoskys.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every packet of every real capture, compared with Wireshark's tshark (a reader nobody here
 * wrote): same count, and per packet the same timestamp to the nanosecond, wire length and
 * captured length. .ci/test installs tshark.
 */
class TsharkAgreementTest {

    private record Packet(long nanos, int original, int captured) {}

    @Test
    void everyPacketOfEveryCaptureAgreesWithTshark() throws Exception {
        int files = 0;
        long packets = 0;
        for (String name : Captures.manifest().keySet()) {
            List<Packet> ours = new ArrayList<>();
            CaptureReader.read(Captures.FOLDER.resolve(name),
                    (link, nanos, original, frame) -> ours.add(new Packet(nanos, original, frame.remaining())));
            List<Packet> theirs = tshark(name);
            assertEquals(theirs.size(), ours.size(), name + ": packet count");
            for (int i = 0; i < ours.size(); i++) {
                assertEquals(theirs.get(i), ours.get(i), name + ": packet " + (i + 1));
            }
            files++;
            packets += ours.size();
        }
        assertTrue(files >= 30 && packets > 15_000, files + " files, " + packets + " packets compared");
    }

    private static List<Packet> tshark(String name) throws IOException, InterruptedException {
        Process tshark;
        try {
            tshark = new ProcessBuilder("tshark", "-n", "-r", Captures.FOLDER.resolve(name).toString(), "-T", "fields",
                    "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-E", "separator=,")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("tshark is needed (apt-get install tshark; .ci/test installs it)", e);
        }
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tshark.exitValue(), "tshark -r " + name);
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            long nanos = new BigDecimal(f[0]).movePointRight(9).longValueExact();
            packets.add(new Packet(nanos, Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        return packets;
    }
}
