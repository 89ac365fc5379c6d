package io.amoskys.pcap;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** What reading a capture found: packets, bytes, damage by class with the first message of each. */
public final class CaptureStats {
    private long packets;
    private long capturedBytes;
    private long cutPackets;
    private long skippedBlocks;
    private final Map<CaptureError, Long> errors = new EnumMap<>(CaptureError.class);
    private final Map<CaptureError, String> firstMessages = new EnumMap<>(CaptureError.class);

    void packet(int capturedLength, int originalLength) {
        packets++;
        capturedBytes += capturedLength;
        if (capturedLength < originalLength) {
            cutPackets++;
        }
    }

    void skippedBlock() {
        skippedBlocks++;
    }

    void error(CaptureError error, String message) {
        errors.merge(error, 1L, Long::sum);
        firstMessages.putIfAbsent(error, message);
    }

    /** Packets handed to the visitor. */
    public long packets() {
        return packets;
    }

    public long capturedBytes() {
        return capturedBytes;
    }

    /** Packets the capture cut short of their original length (snaplen); not an error. */
    public long cutPackets() {
        return cutPackets;
    }

    /** pcapng blocks of types that carry no packets and were skipped, as the format asks. */
    public long skippedBlocks() {
        return skippedBlocks;
    }

    public Map<CaptureError, Long> errors() {
        return Collections.unmodifiableMap(errors);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The first message seen of each class, naming the offset in the file. */
    public Map<CaptureError, String> firstMessages() {
        return Collections.unmodifiableMap(firstMessages);
    }

    /** For example {@code 1036 packets, 0 errors} or {@code 998 packets, 2 errors (TRUNCATED 1, ABSURD_LENGTH 1)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(packets).append(" packets, ").append(errorCount()).append(" errors");
        if (!errors.isEmpty()) {
            s.append(" (");
            errors.forEach((error, count) -> s.append(error).append(' ').append(count).append(", "));
            s.setLength(s.length() - 2);
            s.append(')');
        }
        return s.toString();
    }
}
