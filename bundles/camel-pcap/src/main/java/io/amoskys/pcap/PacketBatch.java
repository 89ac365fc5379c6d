package io.amoskys.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Packets copied out of a capture, many to one message, so that routes carry capture traffic at
 * millions of packets per second: one exchange per batch, not per packet. The last batch of a
 * capture says so ({@link #last()}) and carries the reader's {@link CaptureStats}, so that
 * consumers can report flows still open and what the capture cost.
 *
 * <p>Bounded: at most {@code capacity} packets in {@code capacity * 2048} bytes (at least room
 * for one maximal packet).
 */
public final class PacketBatch {
    private final String source;
    private final int[] linkTypes;
    private final long[] timestamps;
    private final int[] originalLengths;
    private final int[] offsets;
    private final int[] lengths;
    private final byte[] data;
    private int count;
    private int used;
    private boolean last;
    private CaptureStats stats;
    private long clockNanos;
    private LiveCaptureStats liveStats;

    /** @param source what the packets come from (a file, an interface): consumers keep one state per source */
    public PacketBatch(String source, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a batch holds at least one packet");
        }
        this.source = source;
        this.linkTypes = new int[capacity];
        this.timestamps = new long[capacity];
        this.originalLengths = new int[capacity];
        this.offsets = new int[capacity];
        this.lengths = new int[capacity];
        this.data = new byte[Math.max(capacity * 2048, CaptureReader.MAX_PACKET)];
    }

    public String source() {
        return source;
    }

    public int size() {
        return count;
    }

    /** Whether the packet fits; when not, send this batch and start another. */
    public boolean fits(int capturedLength) {
        return count < linkTypes.length && used + capturedLength <= data.length;
    }

    /** Copies one packet in (the frame's position to its limit); the frame is left as it was. */
    public void add(int linkType, long timestampNanos, int originalLength, ByteBuffer frame) {
        int length = frame.remaining();
        if (!fits(length)) {
            throw new IllegalStateException("batch full: check fits() first");
        }
        frame.duplicate().get(data, used, length);
        linkTypes[count] = linkType;
        timestamps[count] = timestampNanos;
        originalLengths[count] = originalLength;
        offsets[count] = used;
        lengths[count] = length;
        used += length;
        count++;
    }

    /** Marks the capture's last batch (possibly empty) with what reading it found. */
    public void endOfCapture(CaptureStats stats) {
        this.last = true;
        this.stats = stats;
    }

    public boolean last() {
        return last;
    }

    /**
     * For live captures: the wall-clock time when the batch was sent, in nanoseconds since the
     * epoch, so that consumers can expire state even while no packet arrives; 0 for files, whose
     * clock is their packets' own.
     */
    public long clockNanos() {
        return clockNanos;
    }

    public void clockNanos(long nanos) {
        this.clockNanos = nanos;
    }

    /** For live captures: the capture's drops and failures so far; null for files. */
    public LiveCaptureStats liveStats() {
        return liveStats;
    }

    public void liveStats(LiveCaptureStats stats) {
        this.liveStats = stats;
    }

    /** The reader's findings, on the last batch only (null before). */
    public CaptureStats stats() {
        return stats;
    }

    /** Hands every packet to the visitor, in order, each frame a read-only view of this batch. */
    public void forEach(PacketVisitor visitor) {
        ByteBuffer view = ByteBuffer.wrap(data).asReadOnlyBuffer();
        for (int i = 0; i < count; i++) {
            view.limit(offsets[i] + lengths[i]).position(offsets[i]);
            visitor.packet(linkTypes[i], timestamps[i], originalLengths[i], view);
            view.limit(data.length);
        }
    }

    @Override
    public String toString() {
        return "PacketBatch[" + source + ", " + count + " packets" + (last ? ", last: " + stats : "") + "]";
    }

    /** Splits a capture file into batches and hands each, then a last one, to {@code consumer}. */
    public static CaptureStats readFile(Path file, int capacity, Consumer<PacketBatch> consumer) throws IOException {
        String source = file.toAbsolutePath().toString();
        PacketBatch[] current = {new PacketBatch(source, capacity)};
        CaptureStats stats = CaptureReader.read(file, (link, nanos, original, frame) -> {
            if (!current[0].fits(frame.remaining())) {
                consumer.accept(current[0]);
                current[0] = new PacketBatch(source, capacity);
            }
            current[0].add(link, nanos, original, frame);
        });
        current[0].endOfCapture(stats);
        consumer.accept(current[0]);
        return stats;
    }
}
