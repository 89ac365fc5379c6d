package io.amoskys.agent.flow;

/** What one direction of a flow carried. Mutable while the flow is open; read once it ends. */
final class Direction {
    long packets;
    long bytes;
    long payloadBytes;
    int syn;
    int fin;
    int rst;
    int psh;
    int ack;
    int urg;
    private long lastNanos = -1;
    private long gaps;
    private double gapMean;
    private double gapSquares;
    private long gapMin = Long.MAX_VALUE;
    private long gapMax;

    void add(long nanos, int wireLength, int payloadLength, int tcpFlags) {
        packets++;
        bytes += wireLength;
        payloadBytes += payloadLength;
        if (tcpFlags != 0) {
            syn += (tcpFlags & 0x02) != 0 ? 1 : 0;
            fin += (tcpFlags & 0x01) != 0 ? 1 : 0;
            rst += (tcpFlags & 0x04) != 0 ? 1 : 0;
            psh += (tcpFlags & 0x08) != 0 ? 1 : 0;
            ack += (tcpFlags & 0x10) != 0 ? 1 : 0;
            urg += (tcpFlags & 0x20) != 0 ? 1 : 0;
        }
        if (lastNanos >= 0) {
            long gap = Math.max(0, nanos - lastNanos);
            gaps++;
            double delta = gap - gapMean;
            gapMean += delta / gaps;
            gapSquares += delta * (gap - gapMean);
            gapMin = Math.min(gapMin, gap);
            gapMax = Math.max(gapMax, gap);
        }
        lastNanos = nanos;
    }

    /** Mean time between two packets of this direction, in seconds (0 with fewer than two). */
    double meanGapSeconds() {
        return gaps == 0 ? 0 : gapMean / 1e9;
    }

    double stddevGapSeconds() {
        return gaps < 2 ? 0 : Math.sqrt(gapSquares / (gaps - 1)) / 1e9;
    }

    double minGapSeconds() {
        return gaps == 0 ? 0 : gapMin / 1e9;
    }

    double maxGapSeconds() {
        return gaps == 0 ? 0 : gapMax / 1e9;
    }
}
