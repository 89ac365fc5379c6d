package io.amoskys.pcap;

import java.nio.ByteBuffer;

/** Receives the packets of a capture, in file order, on the reading thread. */
@FunctionalInterface
public interface PacketVisitor {
    /**
     * @param linkType the packet's link-layer header type ({@link LinkType})
     * @param timestampNanos nanoseconds since the epoch
     * @param originalLength the packet's length on the wire; larger than {@code frame.remaining()}
     *     when the capture cut it (snaplen)
     * @param frame the captured bytes from its position to its limit; valid only during the call
     *     (it is a view of the file, reused), so copy what must outlive it
     */
    void packet(int linkType, long timestampNanos, int originalLength, ByteBuffer frame);
}
