package io.amoskys.pcap;

/**
 * What a live capture has met since its route started, as counted when its batch left: packets
 * the kernel dropped because the capture buffer was full, packets the interface itself dropped (as
 * far as the driver says), and failures of the interface (removed, gone down) after which the
 * capture was opened again, with the last one's words.
 *
 * @param lastFailure libpcap's words for the last failure, naming the interface; null before any
 */
public record LiveCaptureStats(long kernelDrops, long interfaceDrops, long interfaceFailures, String lastFailure) {
    /** A capture that has met nothing yet. */
    public static final LiveCaptureStats NONE = new LiveCaptureStats(0, 0, 0, null);
}
