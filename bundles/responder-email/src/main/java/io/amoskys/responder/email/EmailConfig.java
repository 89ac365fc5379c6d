package io.amoskys.responder.email;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One mail route (factory configuration {@code io.amoskys.responder.email-NAME}). Keys starting
 * with a dot ({@code .password}, {@code .trustStorePassword}) are private: DS keeps them out of
 * the service registry.
 */
@ObjectClassDefinition(name = "AMOSKYS e-mail responder",
        description = "E-mails an alert over SMTP (STARTTLS, implicit TLS or plain), with AUTH PLAIN or LOGIN.")
public @interface EmailConfig {
    /** Property {@code amoskys.plugin.name}: DS turns each single _ into a dot. */
    @AttributeDefinition(name = "Responder name", description = "The name routes reach this responder by "
            + "(amoskys:responder/NAME); give each configuration its own")
    String amoskys_plugin_name() default "email";

    @AttributeDefinition(description = "The SMTP server (a host name or an IP address)")
    String host() default "";

    @AttributeDefinition(description = "The server's port; 0: 587 for starttls, 465 for tls, 25 for none")
    int port() default 0;

    @AttributeDefinition(description = "starttls (upgrade a plain connection, and refuse to go on without it), "
            + "tls (implicit TLS from the first byte, usually port 465) or none (plain text: only on a trusted network)")
    String security() default "starttls";

    @AttributeDefinition(description = "Trust store (PKCS12 or JKS) with the certificates that may sign the "
            + "server's; empty: the Java runtime's default trust store. The host name is always verified")
    String trustStore() default "";

    /** Property {@code .trustStorePassword}. */
    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD,
            description = "Password of the trust store, if it has one")
    String _trustStorePassword() default "";

    @AttributeDefinition(description = "The name this host gives in EHLO; empty: its host name when that is a "
            + "fully qualified domain name, else its address as a literal ([10.0.0.5])")
    String heloName() default "";

    @AttributeDefinition(description = "Sender address (envelope and From header), local@domain")
    String from() default "";

    @AttributeDefinition(description = "Display name shown with the sender address; empty: none")
    String fromName() default "AMOSKYS";

    @AttributeDefinition(description = "Recipient addresses, local@domain; all get one message")
    String[] to() default {};

    @AttributeDefinition(description = "The subject, with placeholders {{alert.id}}, {{alert.rule}}, "
            + "{{alert.severity}}, {{alert.entity}}, {{alert.title}}, {{alert.tags}}, {{alert.time}}, "
            + "{{alert.groupBy}} and {{alert.groupBy.KEY}}; line breaks become spaces")
    String subject() default "[AMOSKYS] {{alert.severity}}: {{alert.title}}";

    @AttributeDefinition(description = "The text body, with the same placeholders; \\n makes a line break")
    String body() default MailTemplate.DEFAULT_BODY;

    @AttributeDefinition(description = "How the UTF-8 body is encoded: quoted-printable (readable as it is) or base64")
    String bodyEncoding() default "quoted-printable";

    @AttributeDefinition(description = "User name for AUTH (PLAIN, else LOGIN); empty: no authentication")
    String username() default "";

    @AttributeDefinition(description = "File holding the AUTH password (surrounding whitespace ignored)")
    String passwordFile() default "";

    /** Property {@code .password}. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "The AUTH password itself, when no passwordFile is given")
    String _password() default "";

    @AttributeDefinition(description = "Allow AUTH over a connection without TLS (security none): the password "
            + "crosses the network readable by anyone on the path")
    boolean allowAuthWithoutTls() default false;

    @AttributeDefinition(description = "Seconds to wait for the connection (and the TLS handshake)")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds to wait for each reply of the server")
    int readTimeoutSeconds() default 30;
}
