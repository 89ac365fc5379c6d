package io.amoskys.agent.snmp.counter;

import org.snmp4j.smi.OID;

/**
 * One reading of a counter: its raw value (unsigned; a Counter64 above 2^63 is negative here),
 * its width, the OID it came from and when it was read (monotonic nanoseconds).
 */
public record CounterSample(long raw, int bits, OID source, long atNanos) {}
