package io.amoskys.responder.snmp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of responder {@code snmp-port}. Keys starting with a dot ({@code .community}) are
 * private: DS keeps them out of the service registry. The per-device keys {@code device.NAME.*}
 * (SNMP version and v3 user) name a device, so they cannot be declared here: {@link DeviceKeys}.
 */
@ObjectClassDefinition(name = "AMOSKYS SNMP port responder",
        description = "Disables (ifAdminStatus down) a switch port an alert names with SNMP v2c or v3 SET, "
                + "only for the devices and ifIndexes listed in 'ports'; undo sets it up again. "
                + "Per device (keys not listed here): device.NAME.version (2c or 3); for 3: device.NAME.user, "
                + "device.NAME.securityLevel (authPriv, or authNoPriv), device.NAME.authProtocol (SHA, SHA-224, SHA-256, "
                + "SHA-384, SHA-512), device.NAME.authPasswordFile or .device.NAME.authPassword, device.NAME.privProtocol "
                + "(AES, AES-192, AES-256), device.NAME.privPasswordFile or .device.NAME.privPassword.")
public @interface SnmpPortConfig {
    @AttributeDefinition(description = "The only ports that may ever be set, one entry per device: "
            + "DEVICE=HOST[:PORT]/IFINDEXES, IFINDEXES a comma list of ifIndex numbers or ranges "
            + "(e.g. 'core-sw1=10.0.0.2/3,5,10-24' or 'edge=[2001:db8::2]:1161/7'). "
            + "DEVICE is the name alerts use (letters, digits, _ . -)")
    String[] ports() default {};

    @AttributeDefinition(description = "File holding the SNMP v2c write community (surrounding whitespace ignored); "
            + "needed when a device is set with v2c (the default)")
    String communityFile() default "";

    /** Property {@code .community}. */
    @AttributeDefinition(name = "Community", type = AttributeType.PASSWORD,
            description = "The write community itself, when no communityFile is given")
    String _community() default "";

    @AttributeDefinition(description = "How long one SNMP request waits for an answer, in milliseconds")
    long timeoutMillis() default 2000;

    @AttributeDefinition(description = "How many times one SNMP request is sent again after a timeout (0 or more)")
    int retries() default 1;

    @AttributeDefinition(description = "How long a port stays disabled, in seconds; the platform undoes it then")
    long disableSeconds() default 900;

    @AttributeDefinition(description = "Where the device name comes from: 'groupBy:KEY' (the value the rule "
            + "grouped by KEY) or 'entity' (the part of the alert's entity before the first '/', as in "
            + "the SNMP agent's DEVICE/if/IFINDEX)")
    String deviceFrom() default "groupBy:device";

    @AttributeDefinition(description = "Where the ifIndex comes from: 'groupBy:KEY' or 'entity' (the part of the "
            + "alert's entity after the last '/')")
    String portFrom() default "groupBy:ifIndex";

    @AttributeDefinition(description = "Folder where the responder notes, per action, whether it found the port "
            + "already down (then undo leaves it down); empty: ${karaf.data}/amoskys/responder-snmp")
    String stateDir() default "";
}
