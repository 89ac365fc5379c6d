package io.amoskys.agent.snmp.profile;

import org.snmp4j.smi.OID;

/** One OID a metric may be read from, and the factor from its unit to the metric's. */
public record Source(OID oid, double scale) {
    public static Source of(String oid) {
        return new Source(new OID(oid), 1);
    }

    public static Source of(String oid, double scale) {
        return new Source(new OID(oid), scale);
    }
}
