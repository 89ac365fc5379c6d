package io.amoskys.responder.nftables;

import java.io.File;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The responder's configuration, checked. Invalid values are kept (and reported by
 * {@link #problems()}) rather than thrown, so the platform can say why it refuses to arm.
 */
final class NftSettings {
    static final String FAMILY = "inet";
    /** Every hook the responder may use, in the order packets meet them. */
    static final List<String> KNOWN_HOOKS = List.of("prerouting", "input", "forward");
    /** nft identifiers, kept to a safe subset: they are written into nft scripts unquoted. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /**
     * Words nft's scanner takes as keywords (those nft 1.0.6 refuses as a table name): they do not
     * parse as a name, and nft has no quoting for names. Not exhaustive; nft refuses any other with a
     * syntax error at the first block, which fails that action with nft's message.
     */
    private static final Set<String> KEYWORDS = Set.of(
            "table", "chain", "set", "map", "vmap", "element", "elements", "rule", "ruleset", "flowtable", "counter",
            "quota", "limit", "ct", "secmark", "synproxy", "meter", "add", "update", "create", "insert", "delete",
            "get", "list", "reset", "flush", "rename", "replace", "import", "export", "monitor", "describe",
            "define", "redefine", "undefine", "include", "hook", "device", "devices", "priority", "policy", "type",
            "typeof", "timeout", "size", "flags", "offload", "comment", "accept", "drop", "continue", "jump", "goto",
            "return", "queue", "reject", "snat", "dnat", "masquerade", "redirect", "tproxy", "log", "dup", "fwd",
            "notrack", "ip", "ip6", "inet", "arp", "bridge", "netdev", "vlan", "ether", "tcp", "udp", "udplite",
            "sctp", "dccp", "icmp", "icmpv6", "igmp", "ah", "esp", "comp", "hbh", "rt", "frag", "dst", "mh", "th",
            "meta", "fib", "socket", "osf", "exthdr", "ipsec", "mark", "iif", "iifname", "iiftype", "oif", "oifname",
            "oiftype", "skuid", "skgid", "nftrace", "pkttype", "cpu", "cgroup", "random", "time", "day", "hour",
            "constant", "dynamic", "interval", "numgen", "jhash", "symhash", "ecn", "not", "and", "or", "xor", "all");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    final String nftPath;
    final String table;
    final String set4;
    final String set6;
    final List<String> hooks;
    final int priority;
    final String iface;
    final long blockSeconds;
    /** {@code null} for the alert's entity, else the group-by key. */
    final String groupByKey;
    final long commandTimeoutSeconds;
    final List<String> commandPrefix;
    private final List<String> staticProblems = new ArrayList<>();

    NftSettings(NftablesConfig c) {
        nftPath = c.nftPath().strip();
        table = identifier("table", c.table());
        set4 = identifier("set4", c.set4());
        set6 = identifier("set6", c.set6());
        if (set4.equals(set6)) {
            staticProblems.add("set4 and set6 must differ, both are '" + set4 + "'");
        }
        hooks = hooks(c.hooks());
        priority = c.priority();
        iface = c.interface$().strip();
        if (!iface.isEmpty() && !INTERFACE.matcher(iface).matches()) {
            staticProblems.add("interface '" + iface + "' is no interface name (1 to 15 letters, digits or _.:@-)");
        }
        blockSeconds = c.blockSeconds();
        if (blockSeconds <= 0) {
            staticProblems.add("blockSeconds must be positive, was " + blockSeconds);
        }
        groupByKey = addressFrom(c.addressFrom());
        commandTimeoutSeconds = c.commandTimeoutSeconds();
        if (commandTimeoutSeconds <= 0) {
            staticProblems.add("commandTimeoutSeconds must be positive, was " + commandTimeoutSeconds);
        }
        commandPrefix = c.commandPrefix() == null ? List.of() : List.of(c.commandPrefix());
    }

    /** Whether {@code text} is a name nft takes as a table or set: the shape the settings accept. */
    static boolean isIdentifier(String text) {
        return IDENTIFIER.matcher(text).matches();
    }

    private String identifier(String key, String value) {
        String v = value == null ? "" : value.strip();
        if (!IDENTIFIER.matcher(v).matches()) {
            staticProblems.add(key + " '" + v + "' is no nft identifier (a letter, then up to 63 letters, digits or _)");
        } else if (KEYWORDS.contains(v.toLowerCase(Locale.ROOT))) {
            staticProblems.add(key + " '" + v + "' is an nft keyword; choose another name");
        }
        return v;
    }

    private List<String> hooks(String[] configured) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : configured == null ? new String[0] : configured) {
            String hook = h.strip().toLowerCase(Locale.ROOT);
            if (KNOWN_HOOKS.contains(hook)) {
                out.add(hook);
            } else if (!hook.isEmpty()) {
                staticProblems.add("hook '" + h + "' is none of " + KNOWN_HOOKS);
            }
        }
        if (out.isEmpty()) {
            staticProblems.add("hooks names no hook: a block would drop nothing");
        }
        return List.copyOf(out);
    }

    private String addressFrom(String configured) {
        String v = configured == null ? "" : configured.strip();
        if (v.equals("entity")) {
            return null;
        }
        if (v.startsWith("groupBy:") && v.length() > "groupBy:".length()) {
            return v.substring("groupBy:".length());
        }
        staticProblems.add("addressFrom '" + v + "' is neither 'entity' nor 'groupBy:KEY'");
        return null;
    }

    /**
     * What is wrong now: the checks of the configuration plus the nft binary as it is. An interface
     * that does not exist now is no problem (see {@link #missingInterface}): problems disarm the
     * responder, and a VPN or bridge interface that comes up after the platform, or restarts, must not.
     */
    List<String> problems() {
        List<String> out = new ArrayList<>(staticProblems);
        File nft = new File(nftPath);
        if (!nft.isAbsolute()) {
            out.add("nftPath '" + nftPath + "' is not an absolute path");
        } else if (!nft.isFile()) {
            out.add("nft not found at " + nftPath + " (install the nftables package or set nftPath)");
        } else if (!nft.canExecute()) {
            out.add("nft at " + nftPath + " is not executable by this process");
        }
        return out;
    }

    /**
     * A warning when the configured interface does not exist on this host now. Blocks still work:
     * nft matches {@code iifname} by name, so the rule holds once the interface (re)appears.
     */
    Optional<String> missingInterface() {
        if (!iface.isEmpty() && commandPrefix.isEmpty() && INTERFACE.matcher(iface).matches() && !interfaceExists(iface)) {
            return Optional.of("interface '" + iface + "' does not exist on this host now: blocks drop its packets once it does");
        }
        return Optional.empty();
    }

    private static boolean interfaceExists(String name) {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The command line before the nft arguments. */
    List<String> command() {
        List<String> out = new ArrayList<>(commandPrefix);
        out.add(nftPath);
        return out;
    }
}
