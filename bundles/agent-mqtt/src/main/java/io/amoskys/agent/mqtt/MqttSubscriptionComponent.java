package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.PayloadFormat;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One broker subscription per factory configuration of {@value #PID}: Karaf reads them from
 * {@code etc/io.amoskys.agent.mqtt-NAME.cfg}, and adding, changing or deleting a file opens,
 * reopens or closes that subscription while everything else runs on.
 */
@Component(configurationPid = MqttSubscriptionComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MqttSubscriptionComponent.Config.class, factory = true)
public class MqttSubscriptionComponent {
    static final String PID = "io.amoskys.agent.mqtt";

    @ObjectClassDefinition(name = "AMOSKYS MQTT subscription",
            description = "Topic filters on one MQTT broker whose JSON or SenML payloads become IoT readings")
    public @interface Config {
        @AttributeDefinition(description = "The subscription's name in metrics and health; default: NAME of the "
                + "file io.amoskys.agent.mqtt-NAME.cfg", required = false)
        String name() default "";

        @AttributeDefinition(description = "tcp://host:1883 or ssl://host:8883")
        String brokerUrl();

        @AttributeDefinition(description = "MQTT client id; keep it stable, the broker keys the persistent session "
                + "by it (default amoskys-NAME)", required = false)
        String clientId() default "";

        @AttributeDefinition(required = false)
        String username() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(description = "For ssl://: the CA certificates (PEM) or trust store (.p12, .jks) to "
                + "trust; empty: the JVM's default trust store", required = false)
        String trustFile() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of a .p12/.jks trust store",
                required = false)
        String trustPassword() default "";

        @AttributeDefinition(description = "Check that the broker's certificate names the host of brokerUrl",
                required = false)
        boolean verifyHostname() default true;

        @AttributeDefinition(description = "Topic filters, comma separated; + and # wildcards")
        String[] topics();

        @AttributeDefinition(description = "Subscription QoS: 0, 1 or 2", required = false)
        int qos() default 1;

        @AttributeDefinition(description = "Larger payloads are counted as errors and dropped unread", required = false)
        int maxPayloadBytes() default 64 * 1024;

        @AttributeDefinition(description = "auto (array = SenML, object = JSON), json or senml", required = false)
        String format() default "auto";

        @AttributeDefinition(description = "false keeps a persistent session: the broker queues QoS 1 messages "
                + "while the agent is away", required = false)
        boolean cleanSession() default false;

        @AttributeDefinition(required = false)
        int keepAliveSeconds() default 30;

        @AttributeDefinition(required = false)
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Longest wait between reconnect attempts", required = false)
        long maxReconnectDelayMillis() default 30_000;

        @AttributeDefinition(description = "Most sensors whose health is kept", required = false)
        int maxSensors() default 10_000;
    }

    private final MqttAgent agent;
    private final BrokerSession session;

    @Activate
    public MqttSubscriptionComponent(@Reference MqttAgent agent, Config config, Map<String, Object> properties)
            throws Exception {
        this.agent = agent;
        this.session = agent.open(settings(config, properties));
    }

    @Deactivate
    void deactivate() {
        agent.close(session);
    }

    static SubscriptionSettings settings(Config c, Map<String, Object> properties) {
        return SubscriptionSettings.builder(nameOf(c.name(), properties), c.brokerUrl())
                .clientId(c.clientId())
                .username(c.username())
                .password(c.password())
                .trustFile(c.trustFile().isBlank() ? null : Path.of(c.trustFile().strip()))
                .trustPassword(c.trustPassword())
                .verifyHostname(c.verifyHostname())
                .topics(c.topics() == null ? new String[0] : c.topics())
                .qos(c.qos())
                .maxPayloadBytes(c.maxPayloadBytes())
                .format(PayloadFormat.parse(c.format()))
                .cleanSession(c.cleanSession())
                .keepAliveSeconds(c.keepAliveSeconds())
                .connectTimeoutSeconds(c.connectTimeoutSeconds())
                .maxReconnectDelayMillis(c.maxReconnectDelayMillis())
                .maxSensors(c.maxSensors())
                .build();
    }

    /**
     * The configured name, else the NAME of a named factory configuration
     * ({@code io.amoskys.agent.mqtt~NAME}, as Karaf makes from {@code io.amoskys.agent.mqtt-NAME.cfg}),
     * else the file's NAME, else the generated PID's tail.
     */
    static String nameOf(String configured, Map<String, Object> properties) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String pid = String.valueOf(properties.getOrDefault("service.pid", ""));
        if (pid.startsWith(PID + "~")) {
            return pid.substring(PID.length() + 1);
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String path = file.toString();
            String base = path.substring(path.lastIndexOf('/') + 1);
            if (base.startsWith(PID + "-") && base.endsWith(".cfg")) {
                return base.substring(PID.length() + 1, base.length() - 4);
            }
        }
        return pid.startsWith(PID + ".") ? pid.substring(PID.length() + 1) : pid;
    }
}
