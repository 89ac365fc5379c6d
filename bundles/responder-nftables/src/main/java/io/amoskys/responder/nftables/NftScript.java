package io.amoskys.responder.nftables;

import java.util.List;

/**
 * The nft scripts of a block. A block is one transaction ({@code nft -f -}): it (re)builds the
 * responder's table to match the configuration and adds the element, so the kernel applies all of
 * it or none, and running it again changes nothing but the element's timeout.
 */
final class NftScript {
    private NftScript() {}

    static String block(NftSettings s, IpLiteral address, long seconds, String comment) {
        String t = NftSettings.FAMILY + " " + s.table;
        StringBuilder out = new StringBuilder(1024);
        out.append("add table ").append(t).append('\n');
        // "add" of an existing set with the same type is a no-op: its elements (the blocks) stay.
        out.append("add set ").append(t).append(' ').append(s.set4).append(" { type ipv4_addr; flags timeout; }\n");
        out.append("add set ").append(t).append(' ').append(s.set6).append(" { type ipv6_addr; flags timeout; }\n");
        // Every known hook, so that the chains of hooks no longer configured are removed.
        for (String hook : NftSettings.KNOWN_HOOKS) {
            // A base chain cannot be changed in place (another priority is "Operation not supported"),
            // and "add rule" twice duplicates: so make sure the chain exists, empty and delete it, and
            // add it afresh when configured. In one transaction, no packet sees the chain missing.
            out.append("add chain ").append(t).append(' ').append(hook).append('\n');
            out.append("flush chain ").append(t).append(' ').append(hook).append('\n');
            out.append("delete chain ").append(t).append(' ').append(hook).append('\n');
            if (s.hooks.contains(hook)) {
                out.append("add chain ").append(t).append(' ').append(hook).append(" { type filter hook ").append(hook)
                        .append(" priority ").append(s.priority).append("; policy accept; }\n");
                String match = s.iface.isEmpty() ? "" : "iifname \"" + s.iface + "\" ";
                out.append("add rule ").append(t).append(' ').append(hook).append(' ').append(match)
                        .append("ip saddr @").append(s.set4).append(" drop\n");
                out.append("add rule ").append(t).append(' ').append(hook).append(' ').append(match)
                        .append("ip6 saddr @").append(s.set6).append(" drop\n");
            }
        }
        // "add" of an existing element is a no-op that keeps its old timeout; deleting it then adding
        // it again renews the timeout and records this action as its owner.
        String set = t + " " + setOf(s, address);
        String element = "{ " + address.text() + " timeout " + seconds + "s comment \"" + comment + "\" }";
        out.append("add element ").append(set).append(' ').append(element).append('\n');
        out.append("delete element ").append(set).append(" { ").append(address.text()).append(" }\n");
        out.append("add element ").append(set).append(' ').append(element).append('\n');
        return out.toString();
    }

    /** The arguments (after nft) that show one element, or fail when it is gone. */
    static List<String> getElement(String table, String set, IpLiteral address) {
        return List.of("get", "element", NftSettings.FAMILY, table, set, "{", address.text(), "}");
    }

    static List<String> deleteElement(String table, String set, IpLiteral address) {
        return List.of("delete", "element", NftSettings.FAMILY, table, set, "{", address.text(), "}");
    }

    static String setOf(NftSettings s, IpLiteral address) {
        return address.v4() ? s.set4 : s.set6;
    }

    /** An element comment naming the action: only characters safe inside nft's quotes, at most 100. */
    static String comment(String actionId) {
        StringBuilder out = new StringBuilder(Math.min(actionId.length(), 100));
        for (int i = 0; i < actionId.length() && out.length() < 100; i++) {
            char c = actionId.charAt(i);
            out.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == ':' || c == '_' ? c : '_');
        }
        return out.toString();
    }

    /** The comment of the element {@code nft get element} printed, or {@code null} when it has none. */
    static String commentIn(String listing) {
        int start = listing.indexOf("comment \"");
        if (start < 0) {
            return null;
        }
        start += "comment \"".length();
        int end = listing.indexOf('"', start);
        return end < 0 ? null : listing.substring(start, end);
    }
}
