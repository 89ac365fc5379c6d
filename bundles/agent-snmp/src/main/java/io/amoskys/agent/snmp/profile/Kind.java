package io.amoskys.agent.snmp.profile;

/** How an object's value is read and reported. */
public enum Kind {
    /** Counter32 or Counter64: reported raw, with a rate between polls. */
    COUNTER,
    /** INTEGER or Gauge32: reported as it is. */
    GAUGE,
    /** TimeTicks: reported in seconds. */
    TIMETICKS,
    /** A string, OID or IP address: reported as a label. */
    TEXT,
    /** TimeTicks that change only when the row's counters were reset (ifCounterDiscontinuityTime). */
    DISCONTINUITY
}
