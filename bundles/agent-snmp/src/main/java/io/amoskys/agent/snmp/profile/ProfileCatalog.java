package io.amoskys.agent.snmp.profile;

import static io.amoskys.agent.snmp.profile.Kind.COUNTER;
import static io.amoskys.agent.snmp.profile.Kind.DISCONTINUITY;
import static io.amoskys.agent.snmp.profile.Kind.GAUGE;
import static io.amoskys.agent.snmp.profile.Kind.TEXT;
import static io.amoskys.agent.snmp.profile.Kind.TIMETICKS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snmp4j.smi.OID;

/**
 * The standard MIB profiles, by numeric OID (no MIB files are needed): SNMPv2-MIB system (RFC 3418),
 * IF-MIB (RFC 2863), IP-MIB, TCP-MIB, UDP-MIB (RFC 4293, 4022, 4113) and HOST-RESOURCES-MIB (RFC 2790).
 */
public final class ProfileCatalog {
    /** sysUpTime.0, read in every poll: it going backwards is how a reboot shows. */
    public static final OID SYS_UPTIME = new OID("1.3.6.1.2.1.1.3.0");

    private static final String SYSTEM = "1.3.6.1.2.1.1.";
    private static final String IF = "1.3.6.1.2.1.2.2.1.";
    private static final String IFX = "1.3.6.1.2.1.31.1.1.1.";
    private static final String IP = "1.3.6.1.2.1.4.";
    private static final String ICMP = "1.3.6.1.2.1.5.";
    private static final String TCP = "1.3.6.1.2.1.6.";
    private static final String UDP = "1.3.6.1.2.1.7.";
    private static final String HR = "1.3.6.1.2.1.25.";

    private static final Map<String, Profile> PROFILES = new LinkedHashMap<>();

    /** The profile names, in the order they are polled. */
    public static final Set<String> NAMES;

    static {
        add(new Profile("system", List.of(
                MetricSpec.of("sys_descr", TEXT, SYSTEM + "1.0"),
                MetricSpec.of("sys_object_id", TEXT, SYSTEM + "2.0"),
                MetricSpec.of("sys_contact", TEXT, SYSTEM + "4.0"),
                MetricSpec.of("sys_name", TEXT, SYSTEM + "5.0"),
                MetricSpec.of("sys_location", TEXT, SYSTEM + "6.0")), List.of()));
        add(new Profile("interfaces", List.of(), List.of(new TableSpec("interfaces", "", "if_index", List.of(
                MetricSpec.of("if_name", TEXT, IFX + "1", IF + "2"),
                MetricSpec.of("if_descr", TEXT, IF + "2"),
                MetricSpec.of("if_alias", TEXT, IFX + "18"),
                MetricSpec.of("if_type", GAUGE, IF + "3"),
                MetricSpec.of("mtu", GAUGE, IF + "4"),
                new MetricSpec("speed_bps", GAUGE, List.of(Source.of(IFX + "15", 1e6), Source.of(IF + "5"))),
                MetricSpec.of("admin_status", GAUGE, IF + "7"),
                MetricSpec.of("oper_status", GAUGE, IF + "8"),
                MetricSpec.of("in_octets", COUNTER, IFX + "6", IF + "10"),
                MetricSpec.of("out_octets", COUNTER, IFX + "10", IF + "16"),
                MetricSpec.of("in_ucast_pkts", COUNTER, IFX + "7", IF + "11"),
                MetricSpec.of("out_ucast_pkts", COUNTER, IFX + "11", IF + "17"),
                MetricSpec.of("in_multicast_pkts", COUNTER, IFX + "8", IFX + "2"),
                MetricSpec.of("out_multicast_pkts", COUNTER, IFX + "12", IFX + "4"),
                MetricSpec.of("in_broadcast_pkts", COUNTER, IFX + "9", IFX + "3"),
                MetricSpec.of("out_broadcast_pkts", COUNTER, IFX + "13", IFX + "5"),
                MetricSpec.of("in_discards", COUNTER, IF + "13"),
                MetricSpec.of("in_errors", COUNTER, IF + "14"),
                MetricSpec.of("in_unknown_protos", COUNTER, IF + "15"),
                MetricSpec.of("out_discards", COUNTER, IF + "19"),
                MetricSpec.of("out_errors", COUNTER, IF + "20"),
                MetricSpec.of("counter_discontinuity_time", DISCONTINUITY, IFX + "19")), m -> { }))));
        add(new Profile("ip", List.of(
                MetricSpec.of("ip_forwarding", GAUGE, IP + "1.0"),
                MetricSpec.of("ip_in_receives", COUNTER, IP + "3.0"),
                MetricSpec.of("ip_in_hdr_errors", COUNTER, IP + "4.0"),
                MetricSpec.of("ip_in_addr_errors", COUNTER, IP + "5.0"),
                MetricSpec.of("ip_forw_datagrams", COUNTER, IP + "6.0"),
                MetricSpec.of("ip_in_unknown_protos", COUNTER, IP + "7.0"),
                MetricSpec.of("ip_in_discards", COUNTER, IP + "8.0"),
                MetricSpec.of("ip_in_delivers", COUNTER, IP + "9.0"),
                MetricSpec.of("ip_out_requests", COUNTER, IP + "10.0"),
                MetricSpec.of("ip_out_discards", COUNTER, IP + "11.0"),
                MetricSpec.of("ip_out_no_routes", COUNTER, IP + "12.0"),
                MetricSpec.of("ip_reasm_fails", COUNTER, IP + "16.0"),
                MetricSpec.of("ip_frag_fails", COUNTER, IP + "18.0")), List.of()));
        add(new Profile("tcp", List.of(
                MetricSpec.of("tcp_active_opens", COUNTER, TCP + "5.0"),
                MetricSpec.of("tcp_passive_opens", COUNTER, TCP + "6.0"),
                MetricSpec.of("tcp_attempt_fails", COUNTER, TCP + "7.0"),
                MetricSpec.of("tcp_estab_resets", COUNTER, TCP + "8.0"),
                MetricSpec.of("tcp_curr_estab", GAUGE, TCP + "9.0"),
                MetricSpec.of("tcp_in_segs", COUNTER, TCP + "17.0", TCP + "10.0"),
                MetricSpec.of("tcp_out_segs", COUNTER, TCP + "18.0", TCP + "11.0"),
                MetricSpec.of("tcp_retrans_segs", COUNTER, TCP + "12.0"),
                MetricSpec.of("tcp_in_errs", COUNTER, TCP + "14.0"),
                MetricSpec.of("tcp_out_rsts", COUNTER, TCP + "15.0")), List.of()));
        add(new Profile("udp", List.of(
                MetricSpec.of("udp_in_datagrams", COUNTER, UDP + "8.0", UDP + "1.0"),
                MetricSpec.of("udp_no_ports", COUNTER, UDP + "2.0"),
                MetricSpec.of("udp_in_errors", COUNTER, UDP + "3.0"),
                MetricSpec.of("udp_out_datagrams", COUNTER, UDP + "9.0", UDP + "4.0")), List.of()));
        add(new Profile("icmp", List.of(
                MetricSpec.of("icmp_in_msgs", COUNTER, ICMP + "1.0"),
                MetricSpec.of("icmp_in_errors", COUNTER, ICMP + "2.0"),
                MetricSpec.of("icmp_in_dest_unreachs", COUNTER, ICMP + "3.0"),
                MetricSpec.of("icmp_in_time_excds", COUNTER, ICMP + "4.0"),
                MetricSpec.of("icmp_in_redirects", COUNTER, ICMP + "7.0"),
                MetricSpec.of("icmp_in_echos", COUNTER, ICMP + "8.0"),
                MetricSpec.of("icmp_in_echo_reps", COUNTER, ICMP + "9.0"),
                MetricSpec.of("icmp_out_msgs", COUNTER, ICMP + "14.0"),
                MetricSpec.of("icmp_out_errors", COUNTER, ICMP + "15.0"),
                MetricSpec.of("icmp_out_dest_unreachs", COUNTER, ICMP + "16.0"),
                MetricSpec.of("icmp_out_echos", COUNTER, ICMP + "21.0"),
                MetricSpec.of("icmp_out_echo_reps", COUNTER, ICMP + "22.0")), List.of()));
        add(new Profile("host-resources", List.of(
                MetricSpec.of("hr_system_uptime_s", TIMETICKS, HR + "1.1.0"),
                MetricSpec.of("hr_system_users", GAUGE, HR + "1.5.0"),
                MetricSpec.of("hr_system_processes", GAUGE, HR + "1.6.0"),
                new MetricSpec("hr_memory_size_bytes", GAUGE, List.of(Source.of(HR + "2.2.0", 1024)))), List.of(
                new TableSpec("processors", "cpu", "index", List.of(
                        MetricSpec.of("load_percent", GAUGE, HR + "3.3.1.2")), m -> { }),
                new TableSpec("storage", "storage", "index", List.of(
                        MetricSpec.of("storage_descr", TEXT, HR + "2.3.1.3"),
                        MetricSpec.of("allocation_units", GAUGE, HR + "2.3.1.4"),
                        MetricSpec.of("size_units", GAUGE, HR + "2.3.1.5"),
                        MetricSpec.of("used_units", GAUGE, HR + "2.3.1.6"),
                        MetricSpec.of("allocation_failures", COUNTER, HR + "2.3.1.7")), ProfileCatalog::storageBytes))));
        NAMES = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(PROFILES.keySet()));
    }

    private ProfileCatalog() {}

    private static void add(Profile p) {
        PROFILES.put(p.name(), p);
    }

    /** The profiles of these names, in catalogue order. */
    public static List<Profile> profiles(List<String> names) {
        return PROFILES.values().stream().filter(p -> names.contains(p.name())).toList();
    }

    /** hrStorage counts in allocation units: bytes and the used share are what operators read. */
    private static void storageBytes(Map<String, Double> m) {
        Double unit = m.get("allocation_units");
        Double size = m.get("size_units");
        Double used = m.get("used_units");
        if (unit != null && size != null) {
            m.put("size_bytes", unit * size);
        }
        if (unit != null && used != null) {
            m.put("used_bytes", unit * used);
        }
        if (size != null && used != null && size > 0) {
            m.put("used_percent", 100.0 * used / size);
        }
    }
}
