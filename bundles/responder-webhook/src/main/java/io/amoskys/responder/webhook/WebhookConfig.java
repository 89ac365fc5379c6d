package io.amoskys.responder.webhook;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One webhook (factory configuration {@code io.amoskys.responder.webhook-NAME}). Keys starting with
 * a dot ({@code .secret}, {@code .headers}) are private: DS keeps them out of the service registry.
 */
@ObjectClassDefinition(name = "AMOSKYS webhook responder",
        description = "POSTs an alert to an HTTP(S) URL, signed with HMAC-SHA256 when a secret is configured.")
public @interface WebhookConfig {
    /** Property {@code amoskys.plugin.name}: DS turns each single _ into a dot. */
    @AttributeDefinition(name = "Responder name", description = "The name routes reach this webhook by "
            + "(amoskys:responder/NAME); give each webhook its own")
    String amoskys_plugin_name() default "webhook";

    @AttributeDefinition(description = "Where to POST (http or https); credentials belong in a header, not here")
    String url() default "";

    @AttributeDefinition(description = "File holding the HMAC-SHA256 secret (surrounding whitespace ignored)")
    String secretFile() default "";

    /** Property {@code .secret}. */
    @AttributeDefinition(name = "Secret", type = AttributeType.PASSWORD,
            description = "The HMAC-SHA256 secret itself, when no secretFile is given; none: requests go unsigned")
    String _secret() default "";

    @AttributeDefinition(description = "Seconds to wait for the connection")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(description = "Seconds to wait for the whole answer once connected")
    int requestTimeoutSeconds() default 10;

    /** Property {@code .headers}: they may carry credentials. */
    @AttributeDefinition(name = "Headers", description = "Extra request headers, each 'Name: value' "
            + "(for example 'Authorization: Bearer ...')")
    String[] _headers() default {};

    @AttributeDefinition(description = "Content-Type of the body")
    String contentType() default "application/json";

    @AttributeDefinition(description = "The body, with placeholders {{alert.id}}, {{alert.rule}}, {{alert.severity}}, "
            + "{{alert.entity}}, {{alert.title}}, {{alert.tags}}, {{alert.time}}, {{alert.groupBy.KEY}} and "
            + "{{alert.json}}; values are JSON-escaped when the content type is JSON. Empty: the alert as JSON")
    String template() default "";
}
