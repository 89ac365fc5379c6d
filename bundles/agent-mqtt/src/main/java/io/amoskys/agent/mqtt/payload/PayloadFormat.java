package io.amoskys.agent.mqtt.payload;

import java.util.Locale;

/** How a subscription reads its payloads. */
public enum PayloadFormat {
    /** A JSON array is SenML, a JSON object is plain JSON. */
    AUTO,
    /** {"value":21.5,"unit":"Cel"} or a flat object of numbers. */
    JSON,
    /** SenML (RFC 8428) in its JSON form: an array of records. */
    SENML;

    public static PayloadFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be auto, json or senml, was '" + name + "'");
        }
    }
}
