package io.amoskys.agent.snmp;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One SNMP device, from one factory configuration {@code io.amoskys.agent.snmp} (Karaf reads
 * {@code etc/io.amoskys.agent.snmp-NAME.cfg}). Declarative Services makes one of these per
 * configuration, and adds, changes and removes it as the configuration does, while the agent runs;
 * each hands its device to the one {@link SnmpAgent}. A configuration that does not parse is
 * rejected with a message naming the property (in the log).
 */
@Component(service = {}, immediate = true, configurationPid = DeviceSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SnmpDeviceConfiguration.Config.class, factory = true)
public class SnmpDeviceConfiguration {

    @ObjectClassDefinition(name = "AMOSKYS SNMP device", description = "One device polled by agent 'snmp'")
    public @interface Config {
        @AttributeDefinition(description = "Device name: the entity id of its events (default: NAME of the file io.amoskys.agent.snmp-NAME.cfg)")
        String name() default "";

        @AttributeDefinition(description = "Host name or IP address")
        String address();

        int port() default 161;

        @AttributeDefinition(description = "2c or 3")
        String version() default "2c";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "v2c community")
        String community() default "public";

        @AttributeDefinition(description = "v3 USM user")
        String user() default "";

        @AttributeDefinition(description = "MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512")
        String authProtocol() default "SHA";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "v3 authentication password (at least 8 characters); empty: noAuthNoPriv")
        String authPassword() default "";

        @AttributeDefinition(description = "DES, 3DES, AES (128), AES-192 or AES-256")
        String privProtocol() default "AES";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "v3 privacy password (at least 8 characters); set: authPriv")
        String privPassword() default "";

        @AttributeDefinition(description = "v3 authoritative engine ID in hex; needed only when devices share a user name with different passwords")
        String engineId() default "";

        int pollIntervalSeconds() default 60;

        @AttributeDefinition(description = "Comma list of: system, interfaces, ip, tcp, udp, icmp, host-resources")
        String profiles() default "system,interfaces";

        int timeoutMillis() default 2000;

        int retries() default 1;

        @AttributeDefinition(description = "GETBULK max-repetitions")
        int maxRepetitions() default 10;

        @AttributeDefinition(description = "Rows read per table at most")
        int maxRows() default 2048;
    }

    private final SnmpAgent agent;
    private final String pid;

    @Activate
    public SnmpDeviceConfiguration(@Reference SnmpAgent agent, Map<String, Object> properties) {
        this.agent = agent;
        this.pid = pid(properties);
        agent.configure(pid, DeviceSettings.parse(properties));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        agent.configure(pid, DeviceSettings.parse(properties));
    }

    @Deactivate
    void deactivate() {
        agent.remove(pid);
    }

    private static String pid(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        return pid != null ? pid.toString() : "component-" + properties.get("component.id");
    }
}
