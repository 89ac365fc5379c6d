package io.amoskys.agent.snmp.poll;

import java.util.List;
import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * The raw answers of one poll.
 *
 * @param atNanos when the scalars were read (monotonic), the time base of their rates
 * @param latencyNanos round trip of the first request
 * @param scalars every scalar asked for, by OID (exceptions such as noSuchObject included)
 * @param tables walked tables by name; a table that failed is absent and its failure is in {@code failures}
 */
public record PollData(long atNanos, long latencyNanos, Map<OID, Variable> scalars, Map<String, WalkedTable> tables,
        List<PollFailure> failures) {

    /** A walked table and when its walk ended (the time base of its rows' rates). */
    public record WalkedTable(OID[] columns, SnmpClient.Table table, long atNanos) {}
}
