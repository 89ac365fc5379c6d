package io.amoskys.agent.flow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What detections need beyond flows, read from single packets: ARP requests and replies (who has
 * an address, who claims it), DHCP messages (which client asks for what) and DNS queries and
 * answers. Each parser reads within the captured bytes only and returns null for what it cannot
 * make sense of, which the caller counts.
 */
final class Observations {
    static final int DNS_PORT = 53;
    static final int MDNS_PORT = 5353;
    static final int DHCP_SERVER = 67;
    static final int DHCP_CLIENT = 68;
    private static final int MAX_ANSWERS = 16;

    /** An ARP request (who-has) or reply (is-at). */
    record Arp(boolean reply, String senderMac, String senderIp, String targetMac, String targetIp) {}

    /** A DHCP message: its type (DISCOVER, REQUEST, ...), the client's hardware address and what it names. */
    record Dhcp(String type, String clientMac, String requestedIp, String hostname, String yourIp) {}

    /** A DNS message: the first question ("" when it has none) and, for a response, its code and the addresses answered. */
    record Dns(boolean response, int id, String query, int queryType, int rcode, List<String> answers) {}

    private Observations() {}

    static Arp arp(ByteBuffer f, int pos, int end) {
        if (pos + 28 > end) {
            return null;
        }
        int hardware = f.getShort(pos) & 0xffff;
        int protocol = f.getShort(pos + 2) & 0xffff;
        int hlen = f.get(pos + 4) & 0xff;
        int plen = f.get(pos + 5) & 0xff;
        int op = f.getShort(pos + 6) & 0xffff;
        if (hardware != 1 || protocol != 0x0800 || hlen != 6 || plen != 4 || (op != 1 && op != 2)) {
            return null;
        }
        return new Arp(op == 2, mac(f, pos + 8), ipv4(f, pos + 14), mac(f, pos + 18), ipv4(f, pos + 24));
    }

    static Dhcp dhcp(ByteBuffer f, int pos, int end) {
        if (pos + 240 > end || f.getInt(pos + 236) != 0x63825363) { // BOOTP header and the DHCP magic cookie
            return null;
        }
        String clientMac = (f.get(pos + 2) & 0xff) == 6 ? mac(f, pos + 28) : "";
        String yourIp = ipv4(f, pos + 16);
        String type = null;
        String requested = "";
        String hostname = "";
        int option = pos + 240;
        while (option < end) {
            int code = f.get(option) & 0xff;
            if (code == 255) {
                break;
            }
            if (code == 0) {
                option++;
                continue;
            }
            if (option + 2 > end) {
                return null;
            }
            int length = f.get(option + 1) & 0xff;
            int value = option + 2;
            if (value + length > end) {
                return null;
            }
            if (code == 53 && length == 1) {
                type = messageType(f.get(value) & 0xff);
            } else if (code == 50 && length == 4) {
                requested = ipv4(f, value);
            } else if (code == 12) {
                hostname = text(f, value, length);
            }
            option = value + length;
        }
        return type == null ? null : new Dhcp(type, clientMac, requested, hostname, "0.0.0.0".equals(yourIp) ? "" : yourIp);
    }

    static Dns dns(ByteBuffer f, int pos, int end) {
        if (pos + 12 > end) {
            return null;
        }
        int id = f.getShort(pos) & 0xffff;
        int flags = f.getShort(pos + 2) & 0xffff;
        int questions = f.getShort(pos + 4) & 0xffff;
        int answers = f.getShort(pos + 6) & 0xffff;
        if (questions == 0) {
            // A message without a question (nmap's server-status probe, some notifies): still DNS.
            return new Dns((flags & 0x8000) != 0, id, "", 0, flags & 0x000f, List.of());
        }
        int[] at = {pos + 12};
        String query = name(f, pos, at, end);
        if (query == null || at[0] + 4 > end) {
            return null;
        }
        int type = f.getShort(at[0]) & 0xffff;
        at[0] += 4;
        for (int q = 1; q < questions; q++) { // skip further questions
            if (name(f, pos, at, end) == null || at[0] + 4 > end) {
                return null;
            }
            at[0] += 4;
        }
        List<String> addresses = new ArrayList<>();
        for (int a = 0; a < answers && addresses.size() < MAX_ANSWERS; a++) {
            if (name(f, pos, at, end) == null || at[0] + 10 > end) {
                break; // answers cut by the snapshot length: keep what was read
            }
            int rtype = f.getShort(at[0]) & 0xffff;
            int rdlength = f.getShort(at[0] + 8) & 0xffff;
            int data = at[0] + 10;
            if (data + rdlength > end) {
                break;
            }
            if (rtype == 1 && rdlength == 4) {
                addresses.add(ipv4(f, data));
            } else if (rtype == 28 && rdlength == 16) {
                addresses.add(FlowRecord.address(6, f.getLong(data), f.getLong(data + 8)));
            }
            at[0] = data + rdlength;
        }
        return new Dns((flags & 0x8000) != 0, id, query, type, flags & 0x000f, List.copyOf(addresses));
    }

    /** A domain name from {@code at[0]}, following compression pointers (at most 16); advances at[0]. */
    private static String name(ByteBuffer f, int message, int[] at, int end) {
        StringBuilder name = new StringBuilder();
        int pos = at[0];
        int jumps = 0;
        boolean jumped = false;
        while (true) {
            if (pos >= end) {
                return null;
            }
            int length = f.get(pos) & 0xff;
            if (length == 0) {
                if (!jumped) {
                    at[0] = pos + 1;
                }
                return name.length() == 0 ? "." : name.toString();
            }
            if ((length & 0xc0) == 0xc0) {
                if (pos + 2 > end || ++jumps > 16) {
                    return null;
                }
                if (!jumped) {
                    at[0] = pos + 2;
                    jumped = true;
                }
                pos = message + (f.getShort(pos) & 0x3fff);
                continue;
            }
            if ((length & 0xc0) != 0 || pos + 1 + length > end || name.length() + length > 253) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = 0; i < length; i++) {
                int c = f.get(pos + 1 + i) & 0xff;
                name.append(c > 0x20 && c < 0x7f && c != '.' ? (char) c : '?');
            }
            pos += 1 + length;
        }
    }

    private static String messageType(int type) {
        return switch (type) {
            case 1 -> "DISCOVER";
            case 2 -> "OFFER";
            case 3 -> "REQUEST";
            case 4 -> "DECLINE";
            case 5 -> "ACK";
            case 6 -> "NAK";
            case 7 -> "RELEASE";
            case 8 -> "INFORM";
            default -> "TYPE-" + type;
        };
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Lower-case, colon-separated: aa:bb:cc:dd:ee:ff (by hand: String.format parsed its pattern for every byte). */
    private static String mac(ByteBuffer f, int pos) {
        byte[] text = new byte[17];
        for (int i = 0; i < 6; i++) {
            int b = f.get(pos + i) & 0xff;
            text[3 * i] = HEX_DIGITS[b >>> 4];
            text[3 * i + 1] = HEX_DIGITS[b & 0xf];
            if (i < 5) {
                text[3 * i + 2] = ':';
            }
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static String ipv4(ByteBuffer f, int pos) {
        return FlowRecord.address(4, 0, f.getInt(pos) & 0xffff_ffffL);
    }

    private static String text(ByteBuffer f, int pos, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = f.get(pos + i) & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return s.toString();
    }
}
