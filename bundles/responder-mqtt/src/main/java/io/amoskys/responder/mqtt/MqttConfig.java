package io.amoskys.responder.mqtt;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One MQTT destination (factory configuration {@code io.amoskys.responder.mqtt-NAME}). Keys
 * starting with a dot ({@code .password}, {@code .trustPassword}) are private: DS keeps them out
 * of the service registry.
 */
@ObjectClassDefinition(name = "AMOSKYS MQTT responder",
        description = "Publishes an alert as JSON to a topic of an MQTT broker.")
public @interface MqttConfig {
    /** Property {@code amoskys.plugin.name}: DS turns each single _ into a dot. */
    @AttributeDefinition(name = "Responder name", description = "The name routes reach this destination by "
            + "(amoskys:responder/NAME); give each destination its own")
    String amoskys_plugin_name() default "mqtt";

    @AttributeDefinition(description = "tcp://host:1883 or ssl://host:8883 (the broker's certificate must name the host)")
    String brokerUrl() default "";

    @AttributeDefinition(description = "Where to publish, with placeholders {{alert.rule}}, {{alert.entity}}, "
            + "{{alert.severity}}, {{alert.id}} and {{alert.groupBy.KEY}}; a value's / + # become _, so it stays "
            + "one topic level. No wildcards (+ #), and no leading $")
    String topic() default "amoskys/alerts/{{alert.rule}}";

    @AttributeDefinition(description = "0 (at most once, no acknowledgement), 1 (at least once: waits for PUBACK) "
            + "or 2 (exactly once to the broker: waits for PUBCOMP)")
    int qos() default 1;

    @AttributeDefinition(description = "Whether the broker keeps the last alert of each topic for later subscribers")
    boolean retained() default false;

    @AttributeDefinition(description = "MQTT client id; empty: amoskys-responder-NAME. Two clients with one id "
            + "push each other off the broker: keep it unique per platform")
    String clientId() default "";

    @AttributeDefinition(description = "User name for the broker; empty: anonymous")
    String username() default "";

    @AttributeDefinition(description = "File holding the password (surrounding whitespace ignored)")
    String passwordFile() default "";

    /** Property {@code .password}. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "The password itself, when no passwordFile is given")
    String _password() default "";

    @AttributeDefinition(description = "Send the username and password to a tcp:// broker, in clear text; only on a network "
            + "you trust (by default a password needs ssl://)")
    boolean allowPasswordWithoutTls() default false;

    @AttributeDefinition(description = "For ssl://: the CA certificates (PEM or DER) or trust store (.p12, .pfx, "
            + ".jks) to trust; empty: the JVM's default trust store")
    String trustFile() default "";

    @AttributeDefinition(description = "For a .p12/.pfx/.jks trustFile: a file holding its password")
    String trustPasswordFile() default "";

    @AttributeDefinition(description = "Seconds to wait for the broker to accept the connection")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds to wait for the broker to acknowledge a publish")
    int publishTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds between keep-alive pings on the open connection")
    int keepAliveSeconds() default 60;
}
