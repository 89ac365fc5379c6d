package io.amoskys.agent.flow;

/**
 * The text of the addresses, host entity ids and ports that flows name, remembered: a capture's
 * endpoints recur flow after flow, so each is formatted once, and the events that name it share
 * one String. Stages keying state by those strings then find their entries by identity (String
 * equality checks it first) without reading the stored key's characters, which are cold in memory
 * by then, and the string's hash is computed once.
 *
 * <p>Direct-mapped: a fixed number of slots, a new value replaces the one in its slot, so memory
 * is bounded whatever the input (about 0.6 MB when full). Not thread-safe: one per flow table.
 */
final class EndpointTexts {
    private static final int ADDRESS_SLOTS = 4096;
    private static final int PORT_SLOTS = 4096;

    private final int[] versions = new int[ADDRESS_SLOTS]; // 0: empty slot
    private final long[] his = new long[ADDRESS_SLOTS];
    private final long[] los = new long[ADDRESS_SLOTS];
    private final String[] addresses = new String[ADDRESS_SLOTS];
    /** "host:" + address, in the slot of the address's string hash; looked up by identity. */
    private final String[] hostAddresses = new String[ADDRESS_SLOTS];
    private final String[] hosts = new String[ADDRESS_SLOTS];
    private final int[] portNumbers = new int[PORT_SLOTS];
    private final String[] ports = new String[PORT_SLOTS];

    /** {@link FlowRecord#address}, the same String for the same address while it keeps its slot. */
    String address(int version, long hi, long lo) {
        long h = hi * 0x9e3779b97f4a7c15L ^ lo * 0xc2b2ae3d27d4eb4fL;
        int slot = (int) (h ^ (h >>> 29) ^ (h >>> 47)) & (ADDRESS_SLOTS - 1);
        if (versions[slot] == version && his[slot] == hi && los[slot] == lo) {
            return addresses[slot];
        }
        String text = FlowRecord.address(version, hi, lo);
        versions[slot] = version;
        his[slot] = hi;
        los[slot] = lo;
        addresses[slot] = text;
        return text;
    }

    /** The entity id {@code host:address}, one String per address string while it keeps its slot. */
    String host(String address) {
        int slot = address.hashCode() & (ADDRESS_SLOTS - 1);
        if (hostAddresses[slot] == address) {
            return hosts[slot];
        }
        String host = "host:" + address;
        hostAddresses[slot] = address;
        hosts[slot] = host;
        return host;
    }

    /** The decimal text of a port (0 to 65535). */
    String port(int port) {
        int slot = port & (PORT_SLOTS - 1);
        String text = ports[slot];
        if (text != null && portNumbers[slot] == port) {
            return text;
        }
        text = Integer.toString(port);
        portNumbers[slot] = port;
        ports[slot] = text;
        return text;
    }
}
