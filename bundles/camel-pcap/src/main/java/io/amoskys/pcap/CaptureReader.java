package io.amoskys.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a pcap or pcapng capture file (told apart by its first bytes) and hands every packet to
 * a visitor. The file is memory-mapped and read without copying, so memory stays flat whatever
 * its size. Damage never stops the reading: each damaged record is counted by class and skipped,
 * and reading resumes at the next record that makes sense.
 */
public final class CaptureReader {
    /** No link type carries packets over 256 KiB (the largest snaplen tools use). */
    static final int MAX_PACKET = 256 * 1024;

    private CaptureReader() {}

    /**
     * @throws IOException when the file cannot be opened or mapped (missing, unreadable, over
     *     2 GiB); damage inside the file is reported in the returned stats instead
     */
    public static CaptureStats read(Path file, PacketVisitor visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + " is " + size + " bytes; captures over 2 GiB must be split (editcap -c)");
            }
            MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return read(data, visitor);
        }
    }

    /** Reads a capture held in memory, from its position to its limit. */
    public static CaptureStats read(ByteBuffer data, PacketVisitor visitor) {
        CaptureStats stats = new CaptureStats();
        ByteBuffer buffer = data.slice();
        if (buffer.remaining() < 4) {
            stats.error(CaptureError.TRUNCATED, "file of " + buffer.remaining() + " bytes holds no capture header");
            return stats;
        }
        int magic = buffer.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == PcapNgFormat.SECTION_HEADER) {
            new PcapNgFormat(buffer, visitor, stats).read();
        } else if (PcapFormat.isMagic(magic)) {
            new PcapFormat(buffer, visitor, stats).read();
        } else {
            stats.error(CaptureError.NOT_A_CAPTURE, String.format("unknown magic number 0x%08x: not a pcap or pcapng file", magic));
        }
        return stats;
    }
}
