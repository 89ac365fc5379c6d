package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.CaptureReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Flows against Wireshark's conversation tracking (tshark's tcp.stream and udp.stream), on every
 * real capture: per TCP and UDP conversation, the initiator, the responder and the packets and
 * bytes each way. Timeouts are set beyond the captures' length, since tshark has none; IP
 * defragmentation is off in tshark, as the flow table does not reassemble.
 */
class TsharkFlowAgreementTest {
    static final Path FOLDER = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    /** One conversation, oriented from its first packet's source. */
    record Conversation(int protocol, String initiator, String responder, long forwardPackets, long forwardBytes,
            long reversePackets, long reverseBytes) {}

    /** Both directions of one endpoint pair together, for conversations tshark splits. */
    record Pair(int protocol, String lower, String higher, long packets, long bytes) {
        static Pair of(Conversation c) {
            boolean ordered = c.initiator().compareTo(c.responder()) < 0;
            return new Pair(c.protocol(), ordered ? c.initiator() : c.responder(), ordered ? c.responder() : c.initiator(),
                    c.forwardPackets() + c.reversePackets(), c.forwardBytes() + c.reverseBytes());
        }

        boolean snmp() {
            return lower.endsWith(":161") || lower.endsWith(":162") || higher.endsWith(":161") || higher.endsWith(":162");
        }
    }

    /**
     * Every conversation must agree exactly (initiator, responder, packets and bytes each way),
     * with one explained exception: tshark's SNMP dissector opens a new conversation for each
     * request and response, where a flow keeps a client's polls of one agent together; for those
     * endpoint pairs the packets and bytes of both directions together must agree.
     */
    @Test
    void everyTcpAndUdpConversationAgreesWithTshark() throws Exception {
        List<Path> captures;
        try (Stream<Path> files = Files.list(FOLDER)) {
            captures = files.filter(p -> !p.getFileName().toString().endsWith(".tsv")).sorted().toList();
        }
        int exact = 0;
        int snmpPairs = 0;
        List<String> differences = new ArrayList<>();
        for (Path capture : captures) {
            List<Conversation> ours = new ArrayList<>(ours(capture));
            List<Conversation> theirs = new ArrayList<>(tshark(capture));
            for (Conversation c : List.copyOf(ours)) {
                if (theirs.remove(c)) {
                    ours.remove(c);
                    exact++;
                }
            }
            Map<Pair, Long> ourPairs = totals(ours);
            Map<Pair, Long> theirPairs = totals(theirs);
            for (Pair pair : ourPairs.keySet()) {
                if (pair.snmp() && ourPairs.equals(theirPairs)) {
                    snmpPairs++;
                } else {
                    differences.add(capture.getFileName() + ": ours " + pair);
                }
            }
            theirPairs.keySet().stream().filter(p -> !ourPairs.containsKey(p))
                    .forEach(p -> differences.add(capture.getFileName() + ": tshark " + p));
        }
        System.out.printf("flows vs tshark conversations: %d exact, %d SNMP endpoint pairs equal in total, %d differ%n",
                exact, snmpPairs, differences.size());
        assertEquals(List.of(), differences);
        assertTrue(exact > 6000, exact + " conversations compared exactly");
    }

    private static Map<Pair, Long> totals(List<Conversation> conversations) {
        Map<String, long[]> sums = new TreeMap<>();
        Map<String, Pair> pairs = new HashMap<>();
        for (Conversation c : conversations) {
            Pair p = Pair.of(c);
            String key = p.protocol() + " " + p.lower() + " " + p.higher();
            long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
            sum[0] += p.packets();
            sum[1] += p.bytes();
            pairs.put(key, p);
        }
        Map<Pair, Long> result = new HashMap<>();
        sums.forEach((key, sum) -> result.put(new Pair(pairs.get(key).protocol(), pairs.get(key).lower(),
                pairs.get(key).higher(), sum[0], sum[1]), 1L));
        return result;
    }

    private static List<Conversation> ours(Path capture) throws IOException {
        List<Conversation> conversations = new ArrayList<>();
        long day = 86_400_000_000_000L;
        FlowTable table = new FlowTable(new FlowTable.Settings(1_000_000, 400 * day, 400 * day, 400 * day), r -> {
            if (r.protocol() == PacketDecoder.TCP || r.protocol() == PacketDecoder.UDP) {
                if (r.forwardPackets() + r.reversePackets() > 0) {
                    conversations.add(new Conversation(r.protocol(), endpoint(r.initiator(), r.initiatorPort()),
                            endpoint(r.responder(), r.responderPort()), r.forwardPackets(), r.forwardBytes(),
                            r.reversePackets(), r.reverseBytes()));
                }
            }
        });
        CaptureReader.read(capture, table);
        table.flush();
        return conversations;
    }

    private static String endpoint(String address, int port) {
        return address + ":" + port;
    }

    private static List<Conversation> tshark(Path capture) throws IOException, InterruptedException {
        Process tshark = new ProcessBuilder("tshark", "-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                "-r", capture.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "ip.proto", "-e", "ipv6.nxt", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.stream", "-e", "udp.stream",
                "-e", "tcp.srcport", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport",
                "-e", "udp.dstport", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(tshark.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, tshark.exitValue(), "tshark on " + capture);
        Map<String, long[]> streams = new java.util.LinkedHashMap<>();
        Map<String, String[]> ends = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|", -1);
            if (f.length < 13) {
                continue;
            }
            String proto = first(f[0]).isEmpty() ? first(f[1]) : first(f[0]);
            boolean tcp = proto.equals("6");
            boolean udp = proto.equals("17");
            if (!tcp && !udp) {
                continue;
            }
            String stream = first(tcp ? f[4] : f[5]);
            if (stream.isEmpty()) {
                continue; // a later IP fragment: no transport header
            }
            String src = endpoint(first(f[2]).isEmpty() ? first(f[3]) : first(f[2]), Integer.parseInt(first(tcp ? f[6] : f[7])));
            String dst = endpoint(first(f[8]).isEmpty() ? first(f[9]) : first(f[8]), Integer.parseInt(first(tcp ? f[10] : f[11])));
            String id = proto + "/" + stream;
            ends.putIfAbsent(id, new String[] {src, dst});
            long[] counts = streams.computeIfAbsent(id, k -> new long[4]);
            int direction = src.equals(ends.get(id)[0]) ? 0 : 2;
            counts[direction]++;
            counts[direction + 1] += Long.parseLong(f[12].strip());
        }
        List<Conversation> conversations = new ArrayList<>();
        streams.forEach((id, c) -> conversations.add(new Conversation(Integer.parseInt(id.substring(0, id.indexOf('/'))),
                ends.get(id)[0], ends.get(id)[1], c[0], c[1], c[2], c[3])));
        return conversations;
    }

    private static String first(String field) {
        int comma = field.indexOf(',');
        return (comma < 0 ? field : field.substring(0, comma)).strip();
    }
}
