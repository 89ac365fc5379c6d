package io.amoskys.pcap;

/** The classes of damage a capture file can have; each is counted, and reading goes on. */
public enum CaptureError {
    /** Neither a pcap nor a pcapng file (unknown magic number): nothing can be read. */
    NOT_A_CAPTURE,
    /** The file ends inside a header, a record or a block. */
    TRUNCATED,
    /** A record or block whose fields contradict each other or the format; skipped. */
    CORRUPT_RECORD,
    /** A record longer than any real packet (over 256 KiB); skipped. */
    ABSURD_LENGTH,
    /** A record holding more bytes than the capture's snapshot length; delivered and counted. */
    SNAPLEN_EXCEEDED,
    /** A pcapng packet for an interface the section never described; skipped. */
    UNKNOWN_INTERFACE
}
