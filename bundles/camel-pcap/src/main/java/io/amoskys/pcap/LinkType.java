package io.amoskys.pcap;

/** The link-layer header types (tcpdump.org LINKTYPE_ values) the platform decodes. */
public final class LinkType {
    /** BSD loopback: a 4-byte address family in host byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** Raw IPv4 or IPv6, told apart by the version nibble. */
    public static final int RAW = 101;
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Linux cooked capture, version 1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    /** Linux cooked capture, version 2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}
}
