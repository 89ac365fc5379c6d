package io.amoskys.agent.mqtt.payload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns one MQTT payload into readings: checks its size, decodes it as strict UTF-8 and JSON, and
 * reads it as plain JSON or SenML. Never throws for bad input: everything wrong is a
 * {@link Problem} in the result. Thread-safe.
 */
public final class PayloadDecoder {
    private static final int SHOWN_CHARACTERS = 40;

    private final PayloadFormat format;
    private final int maxPayloadBytes;

    public PayloadDecoder(PayloadFormat format, int maxPayloadBytes) {
        this.format = format;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public Decoded decode(String topic, byte[] payload, long nowNanos) {
        if (payload.length > maxPayloadBytes) {
            return Decoded.failed(new Problem(ErrorReason.OVERSIZED, topic, topic, "payload of " + payload.length
                    + " bytes is over the limit of " + maxPayloadBytes + " bytes (maxPayloadBytes); dropped unread"));
        }
        if (payload.length == 0) {
            return Decoded.failed(new Problem(ErrorReason.NO_READINGS, topic, topic, "empty payload"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return Decoded.failed(new Problem(ErrorReason.MALFORMED, topic, topic, "payload of " + payload.length
                    + " bytes is not UTF-8 text"));
        }
        Object json;
        try {
            json = JsonReader.parse(text);
        } catch (JsonReader.JsonException e) {
            return Decoded.failed(new Problem(ErrorReason.MALFORMED, topic, topic, "payload is not JSON (" + e.getMessage()
                    + "): " + shown(text)));
        }
        return read(topic, json, nowNanos);
    }

    @SuppressWarnings("unchecked")
    private Decoded read(String topic, Object json, long nowNanos) {
        boolean senml = format == PayloadFormat.SENML || (format == PayloadFormat.AUTO && json instanceof List);
        ReadingCollector out = new ReadingCollector(topic, senml ? IotReading.SENML : IotReading.JSON, nowNanos);
        if (senml && json instanceof List<?> pack) {
            SenmlReadings.read((List<Object>) pack, out);
        } else if (!senml && json instanceof Map<?, ?> object) {
            JsonReadings.read((Map<String, Object>) object, out);
        } else {
            String expected = switch (format) {
                case SENML -> "a SenML array of records";
                case JSON -> "a JSON object";
                case AUTO -> "a JSON object or a SenML array";
            };
            return Decoded.failed(new Problem(ErrorReason.WRONG_TYPE, topic, topic, "payload is "
                    + ReadingCollector.describe(json) + ", expected " + expected + " (format " + format.name().toLowerCase()
                    + ")"));
        }
        return out.result();
    }

    /** The start of a payload, printable, for messages. */
    private static String shown(String text) {
        String head = text.length() > SHOWN_CHARACTERS ? text.substring(0, SHOWN_CHARACTERS) + "..." : text;
        StringBuilder out = new StringBuilder("'");
        head.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.append('\'').toString();
    }
}
