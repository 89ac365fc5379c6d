package io.amoskys.camel.pcap;

import io.amoskys.pcap.PacketBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Writes the packets of each {@link PacketBatch} to a classic pcap file with nanosecond
 * timestamps (or, when appending, in the existing file's resolution). One file holds one link
 * type: a packet of another is refused with an error naming both.
 */
final class PcapFileProducer extends DefaultProducer {
    private static final int NANOS_MAGIC = 0xa1b23c4d;
    private static final int MICROS_MAGIC = 0xa1b2c3d4;
    private static final int SNAPLEN = 262_144;

    private final PcapEndpoint endpoint;
    private FileChannel channel; // guarded by this
    private int linkType = -1;
    private boolean nanos = true;
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    PcapFileProducer(PcapEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        PacketBatch batch = exchange.getMessage().getMandatoryBody(PacketBatch.class);
        try {
            batch.forEach((link, timestamp, original, frame) -> {
                try {
                    write(link, timestamp, original, frame);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException("Cannot write capture file " + endpoint.file() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void write(int link, long timestamp, int original, ByteBuffer frame) throws IOException {
        if (channel == null) {
            open(link);
        }
        if (link != linkType) {
            throw new IllegalArgumentException("capture file " + endpoint.file() + " holds link type " + linkType
                    + "; a packet of link type " + link + " cannot go in it");
        }
        header.clear();
        header.putInt((int) (timestamp / 1_000_000_000L));
        long fraction = timestamp % 1_000_000_000L;
        header.putInt((int) (nanos ? fraction : fraction / 1000));
        header.putInt(frame.remaining());
        header.putInt(original);
        header.flip();
        writeFully(header);
        writeFully(frame.duplicate());
    }

    private void open(int link) throws IOException {
        boolean existing = endpoint.isAppend() && Files.exists(endpoint.file()) && Files.size(endpoint.file()) >= 24;
        if (existing) {
            FileChannel opened = FileChannel.open(endpoint.file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
                opened.read(fileHeader, 0);
                int magic = fileHeader.getInt(0);
                if (magic != NANOS_MAGIC && magic != MICROS_MAGIC) {
                    throw new IOException(endpoint.file() + " is not a little-endian pcap file; cannot append to it");
                }
                nanos = magic == NANOS_MAGIC;
                linkType = fileHeader.getInt(20) & 0x0fff_ffff;
                opened.position(opened.size());
            } catch (IOException | RuntimeException e) {
                // Kept open, the next exchange would write past a header it never checked.
                opened.close();
                throw e;
            }
            channel = opened;
            return;
        }
        Files.createDirectories(endpoint.file().toAbsolutePath().getParent());
        channel = FileChannel.open(endpoint.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        linkType = link;
        ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        fileHeader.putInt(NANOS_MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(SNAPLEN).putInt(link).flip();
        writeFully(fileHeader);
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (channel != null) {
            channel.force(false);
            channel.close();
            channel = null;
            linkType = -1;
        }
        super.doStop();
    }
}
