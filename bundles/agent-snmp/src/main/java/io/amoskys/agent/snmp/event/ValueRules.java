package io.amoskys.agent.snmp.event;

import io.amoskys.agent.snmp.profile.Kind;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;

/** Which SMI types each kind of object may have, per its MIB; anything else is a wrong type. */
final class ValueRules {
    private ValueRules() {}

    static boolean accepts(Kind kind, Variable v) {
        int syntax = v.getSyntax();
        return switch (kind) {
            case COUNTER -> syntax == SMIConstants.SYNTAX_COUNTER32 || syntax == SMIConstants.SYNTAX_COUNTER64;
            case GAUGE -> syntax == SMIConstants.SYNTAX_INTEGER32 || syntax == SMIConstants.SYNTAX_GAUGE32;
            case TIMETICKS, DISCONTINUITY -> syntax == SMIConstants.SYNTAX_TIMETICKS;
            case TEXT -> syntax == SMIConstants.SYNTAX_OCTET_STRING || syntax == SMIConstants.SYNTAX_OBJECT_IDENTIFIER
                    || syntax == SMIConstants.SYNTAX_IPADDRESS;
        };
    }

    static String expected(Kind kind) {
        return switch (kind) {
            case COUNTER -> "Counter32 or Counter64";
            case GAUGE -> "INTEGER or Gauge32";
            case TIMETICKS, DISCONTINUITY -> "TimeTicks";
            case TEXT -> "OCTET STRING, OBJECT IDENTIFIER or IpAddress";
        };
    }

    /** A label value: printable text as it is, binary as hex, never longer than 256 characters. */
    static String text(Variable v) {
        String s = v.toString();
        return s.length() <= 256 ? s : s.substring(0, 253) + "...";
    }
}
