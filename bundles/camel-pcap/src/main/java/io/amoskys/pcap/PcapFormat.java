package io.amoskys.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The classic libpcap format: a 24-byte file header, then records of a 16-byte header and the
 * captured bytes. Records carry no marker, so after a damaged record header the reader looks for
 * the next offset where two consecutive record headers are plausible and resumes there.
 */
final class PcapFormat {
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int MICROS = 0xa1b2c3d4;
    private static final int NANOS = 0xa1b23c4d;

    private final ByteBuffer in;
    private ByteBuffer frames;
    private final PacketVisitor visitor;
    private final CaptureStats stats;
    private boolean nanos;
    private int snaplen;
    private int linkType;

    PcapFormat(ByteBuffer in, PacketVisitor visitor, CaptureStats stats) {
        this.in = in;
        this.visitor = visitor;
        this.stats = stats;
    }

    static boolean isMagic(int bigEndian) {
        return bigEndian == MICROS || bigEndian == NANOS
                || Integer.reverseBytes(bigEndian) == MICROS || Integer.reverseBytes(bigEndian) == NANOS;
    }

    void read() {
        if (in.remaining() < FILE_HEADER) {
            stats.error(CaptureError.TRUNCATED, "pcap file header cut at " + in.remaining() + " of 24 bytes");
            return;
        }
        int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic != MICROS && magic != NANOS) {
            in.order(ByteOrder.LITTLE_ENDIAN);
            magic = in.getInt(0);
        }
        nanos = magic == NANOS;
        // Packets are handed out in network byte order, whatever the file's header order is.
        frames = in.duplicate().order(ByteOrder.BIG_ENDIAN);
        snaplen = in.getInt(16);
        linkType = in.getInt(20) & 0x0fff_ffff; // the top bits carry FCS information
        int limit = in.limit();
        int pos = FILE_HEADER;
        while (pos < limit) {
            if (limit - pos < RECORD_HEADER) {
                stats.error(CaptureError.TRUNCATED, "record header cut at offset " + pos);
                return;
            }
            String problem = recordProblem(pos);
            if (problem != null) {
                int next = resync(pos + 1);
                stats.error(errorClass(pos), problem + " at offset " + pos + "; "
                        + (next < 0 ? "no later record found" : "resumed at offset " + next));
                if (next < 0) {
                    return;
                }
                pos = next;
                continue;
            }
            int captured = in.getInt(pos + 8);
            int original = in.getInt(pos + 12);
            if (limit - pos - RECORD_HEADER < captured) {
                stats.error(CaptureError.TRUNCATED, "record at offset " + pos + " cut at "
                        + (limit - pos - RECORD_HEADER) + " of " + captured + " bytes");
                return;
            }
            if (snaplen > 0 && captured > snaplen) {
                stats.error(CaptureError.SNAPLEN_EXCEEDED, "record at offset " + pos + " holds " + captured
                        + " bytes, more than the snapshot length " + snaplen);
            }
            long seconds = in.getInt(pos) & 0xffff_ffffL;
            long fraction = in.getInt(pos + 4) & 0xffff_ffffL;
            int start = pos + RECORD_HEADER;
            frames.limit(start + captured).position(start);
            stats.packet(captured, original);
            visitor.packet(linkType, seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000), original, frames);
            frames.limit(limit);
            pos = start + captured;
        }
    }

    /**
     * Why the record header at {@code pos} cannot be a record header, or null when it can. Time
     * may jump anywhere (merged captures of different years are ordinary), so only the lengths
     * and the fraction of a second are checked.
     */
    private String recordProblem(int pos) {
        long fraction = in.getInt(pos + 4) & 0xffff_ffffL;
        int captured = in.getInt(pos + 8);
        int original = in.getInt(pos + 12);
        if (captured < 0 || captured > CaptureReader.MAX_PACKET || original < 0 || original > CaptureReader.MAX_PACKET) {
            return "record length " + Integer.toUnsignedString(captured) + " (original " + Integer.toUnsignedString(original)
                    + ") is absurd";
        }
        if (captured > original) {
            return "record holds " + captured + " bytes of a " + original + "-byte packet";
        }
        if (fraction >= (nanos ? 1_000_000_000L : 1_000_000L)) {
            return "timestamp fraction " + fraction + " is out of range";
        }
        return null;
    }

    private CaptureError errorClass(int pos) {
        int captured = in.getInt(pos + 8);
        int original = in.getInt(pos + 12);
        boolean absurd = captured < 0 || captured > CaptureReader.MAX_PACKET || original < 0 || original > CaptureReader.MAX_PACKET;
        return absurd ? CaptureError.ABSURD_LENGTH : CaptureError.CORRUPT_RECORD;
    }

    /**
     * The first offset from {@code from} holding a plausible record whose successor is plausible
     * too (or which ends the file exactly); -1 when there is none.
     */
    private int resync(int from) {
        int limit = in.limit();
        for (int pos = from; pos + RECORD_HEADER <= limit; pos++) {
            if (recordProblem(pos) != null) {
                continue;
            }
            int end = pos + RECORD_HEADER + in.getInt(pos + 8);
            if (end == limit || (end + RECORD_HEADER <= limit && recordProblem(end) == null)) {
                return pos;
            }
        }
        return -1;
    }
}
