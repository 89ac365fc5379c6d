package io.amoskys.api.event;

/** The telemetry kinds the platform's own agents emit. Vendors may add their own words. */
public final class EventKinds {
    /** A snapshot of one host process. */
    public static final String PROCESS = "process";
    /** One poll of one SNMP device. */
    public static final String SNMP = "snmp";
    /** One bidirectional network flow. */
    public static final String FLOW = "flow";
    /** One reading of one IoT sensor. */
    public static final String IOT = "iot";
    /** One ARP request (who-has) or reply (is-at). @since 1.1 */
    public static final String ARP = "arp";
    /** One DHCP message. @since 1.1 */
    public static final String DHCP = "dhcp";
    /** One DNS query or answer. @since 1.1 */
    public static final String DNS = "dns";

    private EventKinds() {}
}
