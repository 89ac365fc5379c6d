package io.amoskys.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format: sections of blocks, each block framed by its total length at both ends.
 * Reads section headers (either byte order), interface descriptions (link type, snapshot length,
 * timestamp resolution and offset) and enhanced, simple and obsolete packet blocks; skips every
 * other block type, as the format asks. A block whose framing is broken is counted and the reader
 * resumes at the next 4-byte boundary where a well-framed block starts.
 */
final class PcapNgFormat {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_TSRESOL = 9;
    private static final int OPTION_TSOFFSET = 14;
    /** No real block is larger than a maximal packet plus its headers and options. */
    private static final int MAX_BLOCK = CaptureReader.MAX_PACKET + 64 * 1024;

    private record Interface(int linkType, int snaplen, long unitsPerSecond, boolean binary, int exponent, long offsetSeconds) {
        long toNanos(long units) {
            long seconds;
            long remainder;
            if (binary) {
                seconds = units >>> exponent;
                remainder = units & ((1L << exponent) - 1);
                return offsetSeconds * 1_000_000_000L + seconds * 1_000_000_000L + ((remainder * 1_000_000_000L) >>> exponent);
            }
            seconds = units / unitsPerSecond;
            remainder = units % unitsPerSecond;
            long nanos = unitsPerSecond <= 1_000_000_000L
                    ? remainder * (1_000_000_000L / unitsPerSecond)
                    : remainder / (unitsPerSecond / 1_000_000_000L);
            return (offsetSeconds + seconds) * 1_000_000_000L + nanos;
        }
    }

    private final ByteBuffer in;
    /** Packets are handed out in network byte order, whatever the section's order is. */
    private final ByteBuffer frames;
    private final PacketVisitor visitor;
    private final CaptureStats stats;
    private final List<Interface> interfaces = new ArrayList<>();

    PcapNgFormat(ByteBuffer in, PacketVisitor visitor, CaptureStats stats) {
        this.in = in;
        this.frames = in.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.visitor = visitor;
        this.stats = stats;
    }

    void read() {
        int limit = in.limit();
        int pos = 0;
        while (pos < limit) {
            if (limit - pos < 12) {
                stats.error(CaptureError.TRUNCATED, "block header cut at offset " + pos);
                return;
            }
            // 0A 0D 0D 0A reads the same in either byte order.
            if (in.getInt(pos) == SECTION_HEADER && !startSection(pos)) {
                return;
            }
            int type = in.getInt(pos);
            int length = in.getInt(pos + 4);
            String framing = framingProblem(pos, type, length);
            if (framing != null) {
                if (framing.startsWith("cut")) {
                    stats.error(CaptureError.TRUNCATED, "block at offset " + pos + " " + framing);
                    return;
                }
                int next = resync(pos + 4);
                stats.error(length < 0 || length > MAX_BLOCK ? CaptureError.ABSURD_LENGTH : CaptureError.CORRUPT_RECORD,
                        "block at offset " + pos + " " + framing + "; "
                                + (next < 0 ? "no later block found" : "resumed at offset " + next));
                if (next < 0) {
                    return;
                }
                pos = next;
                continue;
            }
            if (length < minimumLength(type)) {
                stats.error(CaptureError.CORRUPT_RECORD, "block of type " + type + " at offset " + pos + " is " + length
                        + " bytes, too short for its fixed fields");
                pos += length;
                continue;
            }
            switch (type) {
                case SECTION_HEADER -> { } // read by startSection
                case INTERFACE_DESCRIPTION -> describeInterface(pos, length);
                case ENHANCED_PACKET -> enhancedPacket(pos, length);
                case SIMPLE_PACKET -> simplePacket(pos, length);
                case OBSOLETE_PACKET -> obsoletePacket(pos, length);
                default -> stats.skippedBlock();
            }
            in.limit(limit);
            pos += length;
        }
    }

    /** Reads a section header's byte order; a new section forgets the previous interfaces. */
    private boolean startSection(int pos) {
        if (in.limit() - pos < 12) {
            stats.error(CaptureError.TRUNCATED, "section header cut at offset " + pos);
            return false;
        }
        int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(pos + 8);
        if (magic == BYTE_ORDER_MAGIC) {
            in.order(ByteOrder.BIG_ENDIAN);
        } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            stats.error(CaptureError.CORRUPT_RECORD, String.format("section header at offset %d has byte-order magic 0x%08x", pos, magic));
            in.order(ByteOrder.LITTLE_ENDIAN);
        }
        interfaces.clear();
        return true;
    }

    /** Why the block at {@code pos} is not well framed, or null when it is. */
    private String framingProblem(int pos, int type, int length) {
        if (length < 12 || length % 4 != 0 || length > MAX_BLOCK) {
            return "has impossible length " + Integer.toUnsignedString(length);
        }
        if (in.limit() - pos < length) {
            return "cut at " + (in.limit() - pos) + " of " + length + " bytes";
        }
        if (in.getInt(pos + length - 4) != length) {
            return "of type " + type + " has a trailing length " + Integer.toUnsignedString(in.getInt(pos + length - 4))
                    + " unlike its leading " + length;
        }
        return null;
    }

    private static int minimumLength(int type) {
        return switch (type) {
            case SECTION_HEADER -> 28;
            case INTERFACE_DESCRIPTION -> 20;
            case ENHANCED_PACKET, OBSOLETE_PACKET -> 32;
            case SIMPLE_PACKET -> 16;
            default -> 12;
        };
    }

    private int resync(int from) {
        for (int pos = (from + 3) & ~3; pos + 12 <= in.limit(); pos += 4) {
            int type = in.getInt(pos);
            boolean known = type == SECTION_HEADER || type == INTERFACE_DESCRIPTION || type == ENHANCED_PACKET
                    || type == SIMPLE_PACKET || type == OBSOLETE_PACKET || (type >= 4 && type <= 10);
            if (known && framingProblem(pos, type, in.getInt(pos + 4)) == null) {
                return pos;
            }
        }
        return -1;
    }

    private void describeInterface(int pos, int length) {
        int linkType = in.getShort(pos + 8) & 0xffff;
        int snaplen = in.getInt(pos + 12);
        long unitsPerSecond = 1_000_000;
        boolean binary = false;
        int exponent = 6;
        long offset = 0;
        int option = pos + 16;
        int end = pos + length - 4;
        while (option + 4 <= end) {
            int code = in.getShort(option) & 0xffff;
            int optionLength = in.getShort(option + 2) & 0xffff;
            if (code == 0 || option + 4 + optionLength > end) {
                break;
            }
            if (code == OPTION_TSRESOL && optionLength >= 1) {
                int resolution = in.get(option + 4) & 0xff;
                binary = (resolution & 0x80) != 0;
                exponent = resolution & 0x7f;
                if (binary ? exponent > 62 : exponent > 18) {
                    stats.error(CaptureError.CORRUPT_RECORD, "interface at offset " + pos + " has timestamp resolution " + resolution);
                    binary = false;
                    exponent = 6;
                }
                unitsPerSecond = binary ? 1L << exponent : pow10(exponent);
            } else if (code == OPTION_TSOFFSET && optionLength >= 8) {
                offset = in.getLong(option + 4);
            }
            option += 4 + ((optionLength + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, snaplen, unitsPerSecond, binary, exponent, offset));
    }

    private void enhancedPacket(int pos, int length) {
        int interfaceId = in.getInt(pos + 8);
        long units = ((in.getInt(pos + 12) & 0xffff_ffffL) << 32) | (in.getInt(pos + 16) & 0xffff_ffffL);
        int captured = in.getInt(pos + 20);
        int original = in.getInt(pos + 24);
        deliver(pos, length, interfaceId, units, captured, original, pos + 28);
    }

    private void obsoletePacket(int pos, int length) {
        int interfaceId = in.getShort(pos + 8) & 0xffff;
        long units = ((in.getInt(pos + 12) & 0xffff_ffffL) << 32) | (in.getInt(pos + 16) & 0xffff_ffffL);
        int captured = in.getInt(pos + 20);
        int original = in.getInt(pos + 24);
        deliver(pos, length, interfaceId, units, captured, original, pos + 28);
    }

    /** Simple packet blocks carry no timestamp and belong to the first interface. */
    private void simplePacket(int pos, int length) {
        if (interfaces.isEmpty()) {
            stats.error(CaptureError.UNKNOWN_INTERFACE, "simple packet at offset " + pos + " before any interface description");
            return;
        }
        int original = in.getInt(pos + 8);
        int snaplen = interfaces.get(0).snaplen();
        int captured = Math.min(original, Math.min(length - 16, snaplen > 0 ? snaplen : Integer.MAX_VALUE));
        deliver(pos, length, 0, 0, captured, original, pos + 12);
    }

    private void deliver(int pos, int length, int interfaceId, long units, int captured, int original, int data) {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            stats.error(CaptureError.UNKNOWN_INTERFACE, "packet at offset " + pos + " names interface " + interfaceId
                    + " but the section describes " + interfaces.size());
            return;
        }
        if (captured < 0 || original < 0 || captured > original || data + captured > pos + length - 4) {
            stats.error(CaptureError.CORRUPT_RECORD, "packet at offset " + pos + " claims " + Integer.toUnsignedString(captured)
                    + " captured bytes of " + Integer.toUnsignedString(original) + " in a " + length + "-byte block");
            return;
        }
        Interface nic = interfaces.get(interfaceId);
        if (nic.snaplen() > 0 && captured > nic.snaplen()) {
            stats.error(CaptureError.SNAPLEN_EXCEEDED, "packet at offset " + pos + " holds " + captured
                    + " bytes, more than the snapshot length " + nic.snaplen());
        }
        frames.limit(data + captured).position(data);
        stats.packet(captured, original);
        visitor.packet(nic.linkType(), nic.toNanos(units), original, frames);
        frames.limit(frames.capacity());
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
