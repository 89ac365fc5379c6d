package io.amoskys.agent.flow;

import io.amoskys.pcap.LinkType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes link, network and transport headers far enough to place a packet in a flow: Ethernet
 * (with 802.1Q/802.1ad VLAN tags), Linux cooked v1 and v2, raw IP and BSD/OpenBSD loopback;
 * IPv4 (fragments included) and IPv6 (extension headers walked); TCP, UDP, ICMP and ICMPv6.
 * Reads absolute offsets of the frame without moving it and allocates nothing.
 */
final class PacketDecoder {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;
    static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;

    void decode(int linkType, ByteBuffer frame, DecodedPacket p) {
        p.reset();
        ByteBuffer f = frame.order() == ByteOrder.BIG_ENDIAN ? frame : frame.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = f.position();
        int end = f.limit();
        p.frameEnd = end;
        switch (linkType) {
            case LinkType.ETHERNET -> ethernet(f, start, end, p);
            case LinkType.LINUX_SLL -> etherType(f, start + 16, end, p, start + 14);
            case LinkType.LINUX_SLL2 -> etherType(f, start + 20, end, p, start);
            case LinkType.RAW, LinkType.IPV4, LinkType.IPV6 -> ip(f, start, end, p);
            case LinkType.NULL, LinkType.LOOP -> loopback(f, start, end, p);
            default -> p.kind = DecodedPacket.Kind.UNKNOWN_LINK;
        }
    }

    private void ethernet(ByteBuffer f, int start, int end, DecodedPacket p) {
        int pos = start + 12;
        while (true) {
            if (pos + 2 > end) {
                malformed(p, "Ethernet header cut");
                return;
            }
            int type = f.getShort(pos) & 0xffff;
            if (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
                if (pos + 4 > end) {
                    malformed(p, "VLAN tag cut");
                    return;
                }
                if (p.vlan < 0) {
                    p.vlan = f.getShort(pos + 2) & 0x0fff;
                }
                pos += 4;
                continue;
            }
            dispatch(f, type, pos + 2, end, p);
            return;
        }
    }

    private void etherType(ByteBuffer f, int payload, int end, DecodedPacket p, int typeAt) {
        if (payload > end) {
            malformed(p, "cooked capture header cut");
            return;
        }
        dispatch(f, f.getShort(typeAt) & 0xffff, payload, end, p);
    }

    private void dispatch(ByteBuffer f, int etherType, int pos, int end, DecodedPacket p) {
        p.etherType = etherType;
        if (etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6) {
            ip(f, pos, end, p);
        } else {
            p.kind = DecodedPacket.Kind.NOT_IP;
            p.payloadOffset = pos;
        }
    }

    /** The 4-byte address family (host or network order) is skipped: the IP version nibble says enough. */
    private void loopback(ByteBuffer f, int start, int end, DecodedPacket p) {
        if (start + 4 > end) {
            malformed(p, "loopback header cut");
            return;
        }
        ip(f, start + 4, end, p);
    }

    private void ip(ByteBuffer f, int pos, int end, DecodedPacket p) {
        if (pos + 1 > end) {
            malformed(p, "IP header cut");
            return;
        }
        int version = (f.get(pos) & 0xff) >>> 4;
        if (version == 4) {
            ipv4(f, pos, end, p);
        } else if (version == 6) {
            ipv6(f, pos, end, p);
        } else {
            p.kind = DecodedPacket.Kind.NOT_IP;
        }
    }

    private void ipv4(ByteBuffer f, int pos, int end, DecodedPacket p) {
        if (pos + 20 > end) {
            malformed(p, "IPv4 header cut");
            return;
        }
        int headerLength = (f.get(pos) & 0x0f) * 4;
        int totalLength = f.getShort(pos + 2) & 0xffff;
        if (headerLength < 20 || totalLength < headerLength) {
            malformed(p, "IPv4 header length " + headerLength + " with total length " + totalLength);
            return;
        }
        p.ipVersion = 4;
        p.protocol = f.get(pos + 9) & 0xff;
        p.srcLo = f.getInt(pos + 12) & 0xffff_ffffL;
        p.dstLo = f.getInt(pos + 16) & 0xffff_ffffL;
        int fragmentOffset = f.getShort(pos + 6) & 0x1fff;
        if (fragmentOffset != 0) {
            p.kind = DecodedPacket.Kind.FRAGMENT;
            p.payloadLength = totalLength - headerLength;
            return;
        }
        transport(f, pos + headerLength, Math.min(end, pos + totalLength), totalLength - headerLength, p);
    }

    private void ipv6(ByteBuffer f, int pos, int end, DecodedPacket p) {
        if (pos + 40 > end) {
            malformed(p, "IPv6 header cut");
            return;
        }
        p.ipVersion = 6;
        int payloadLength = f.getShort(pos + 4) & 0xffff;
        p.srcHi = f.getLong(pos + 8);
        p.srcLo = f.getLong(pos + 16);
        p.dstHi = f.getLong(pos + 24);
        p.dstLo = f.getLong(pos + 32);
        int next = f.get(pos + 6) & 0xff;
        int at = pos + 40;
        int remaining = payloadLength;
        // Walk hop-by-hop, routing, destination options, fragment and authentication headers.
        while (next == 0 || next == 43 || next == 60 || next == 44 || next == 51) {
            if (at + 8 > end) {
                malformed(p, "IPv6 extension header cut");
                return;
            }
            int length;
            if (next == 44) {
                if ((f.getShort(at + 2) & 0xfff8) != 0) {
                    p.protocol = f.get(at) & 0xff;
                    p.kind = DecodedPacket.Kind.FRAGMENT;
                    p.payloadLength = remaining - 8;
                    return;
                }
                length = 8;
            } else if (next == 51) {
                length = ((f.get(at + 1) & 0xff) + 2) * 4;
            } else {
                length = ((f.get(at + 1) & 0xff) + 1) * 8;
            }
            next = f.get(at) & 0xff;
            at += length;
            remaining -= length;
        }
        p.protocol = next;
        transport(f, at, Math.min(end, pos + 40 + payloadLength), remaining, p);
    }

    /** @param l4Length the transport segment's length by the IP header (may exceed what was captured) */
    private void transport(ByteBuffer f, int pos, int end, int l4Length, DecodedPacket p) {
        p.kind = DecodedPacket.Kind.IP;
        switch (p.protocol) {
            case TCP -> {
                if (pos + 14 > end) {
                    malformed(p, "TCP header cut");
                    return;
                }
                p.srcPort = f.getShort(pos) & 0xffff;
                p.dstPort = f.getShort(pos + 2) & 0xffff;
                int headerLength = ((f.get(pos + 12) & 0xff) >>> 4) * 4;
                p.tcpFlags = f.get(pos + 13) & 0xff;
                p.payloadLength = Math.max(0, l4Length - headerLength);
                p.payloadOffset = pos + headerLength;
            }
            case UDP -> {
                if (pos + 8 > end) {
                    malformed(p, "UDP header cut");
                    return;
                }
                p.srcPort = f.getShort(pos) & 0xffff;
                p.dstPort = f.getShort(pos + 2) & 0xffff;
                p.payloadLength = Math.max(0, l4Length - 8);
                p.payloadOffset = pos + 8;
            }
            case ICMP, ICMPV6 -> {
                if (pos + 4 > end) {
                    malformed(p, "ICMP header cut");
                    return;
                }
                // Type and code in the destination port, as NetFlow does.
                p.dstPort = ((f.get(pos) & 0xff) << 8) | (f.get(pos + 1) & 0xff);
                p.payloadLength = Math.max(0, l4Length - 8);
            }
            default -> p.payloadLength = Math.max(0, l4Length);
        }
    }

    private static void malformed(DecodedPacket p, String problem) {
        p.kind = DecodedPacket.Kind.MALFORMED;
        p.problem = problem;
    }
}
