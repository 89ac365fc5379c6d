package io.amoskys.responder.snmp;

/**
 * How requests to one device are secured: the v2c write community, or an SNMP v3 USM user. The
 * secrets never appear in {@code toString()}: settings, problems and logs may print a device.
 */
sealed interface Security permits Security.Community, Security.Usm {
    /** The SNMP version as the configuration spells it: {@code 2c} or {@code 3}. */
    String version();

    /** SNMP v2c with a community. */
    record Community(String community) implements Security {
        @Override
        public String version() {
            return "2c";
        }

        @Override
        public String toString() {
            return "v2c";
        }
    }

    /**
     * SNMP v3 with a USM user, always authenticated; {@code privProtocol} and {@code privPassword}
     * are null at authNoPriv. Protocol names are {@link UsmProtocols}' canonical ones.
     */
    record Usm(String user, String authProtocol, String authPassword, String privProtocol, String privPassword)
            implements Security {
        @Override
        public String version() {
            return "3";
        }

        boolean encrypts() {
            return privPassword != null;
        }

        String securityLevel() {
            return encrypts() ? "authPriv" : "authNoPriv";
        }

        @Override
        public String toString() {
            return "v3 user '" + user + "' " + securityLevel() + " " + authProtocol + (encrypts() ? "/" + privProtocol : "");
        }
    }
}
