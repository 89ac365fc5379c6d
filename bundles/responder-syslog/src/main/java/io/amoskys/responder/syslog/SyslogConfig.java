package io.amoskys.responder.syslog;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One syslog destination (factory configuration {@code io.amoskys.responder.syslog-NAME}). The key
 * starting with a dot ({@code .trustPassword}) is private: DS keeps it out of the service registry.
 */
@ObjectClassDefinition(name = "AMOSKYS syslog responder",
        description = "Sends an alert as an RFC 5424 or CEF syslog message over UDP, TCP or TLS.")
public @interface SyslogConfig {
    /** Property {@code amoskys.plugin.name}: DS turns each single _ into a dot. */
    @AttributeDefinition(name = "Responder name", description = "The name routes reach this destination by "
            + "(amoskys:responder/NAME); give each destination its own")
    String amoskys_plugin_name() default "syslog";

    @AttributeDefinition(description = "The receiver: a host name or an IP address")
    String host() default "";

    @AttributeDefinition(description = "The receiver's port; 0: 514 for udp and tcp, 6514 for tls")
    int port() default 0;

    @AttributeDefinition(description = "udp (no delivery guarantee), tcp (RFC 6587 octet counting) or tls "
            + "(RFC 5425: TCP with TLS, the receiver's certificate must name the host)")
    String transport() default "tcp";

    @AttributeDefinition(description = "rfc5424 (structured data with the alert's fields) or cef "
            + "(ArcSight Common Event Format as the message of an RFC 5424 header)")
    String format() default "rfc5424";

    @AttributeDefinition(description = "Syslog facility: a name (kern, user, daemon, auth, authpriv, local0 to "
            + "local7, ...) or its number, 0 to 23")
    String facility() default "auth";

    @AttributeDefinition(description = "APP-NAME of the RFC 5424 header: 1 to 48 printable ASCII characters")
    String appName() default "amoskys";

    @AttributeDefinition(description = "HOSTNAME of the RFC 5424 header; empty: this machine's name")
    String hostname() default "";

    @AttributeDefinition(description = "SD-ID of the structured data element (rfc5424): NAME@ENTERPRISE-NUMBER; "
            + "the default uses 32473, the number IANA reserves for examples: put your own if you have one")
    String sdId() default "amoskys@32473";

    @AttributeDefinition(description = "For tls: the CA certificates (PEM or DER) or trust store (.p12, .pfx, "
            + ".jks) to trust; empty: the JVM's default trust store")
    String trustFile() default "";

    @AttributeDefinition(description = "For a .p12/.pfx/.jks trustFile: a file holding its password")
    String trustPasswordFile() default "";

    /** Property {@code .trustPassword}. */
    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD,
            description = "The trust store password itself, when no trustPasswordFile is given")
    String _trustPassword() default "";

    @AttributeDefinition(description = "Seconds to wait for a TCP or TLS connection")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(description = "Seconds to wait for the receiver's side of the TLS handshake (messages are at most 8 KiB, "
            + "so writing one never waits on the receiver)")
    int ioTimeoutSeconds() default 10;
}
