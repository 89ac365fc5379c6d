package io.amoskys.schema;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Between {@link TelemetryEvent} and the wire {@link Event}. A kind with a typed payload (the
 * oneof field named like the kind) carries the labels and metrics that payload names in its
 * string and double fields; everything else travels in the extra maps, so the round trip is exact
 * for any event. Thread-safe; build one and share it.
 */
public final class EventCodec {
    public static final int SCHEMA_VERSION = 1;

    private final Map<String, Payload> payloads = new HashMap<>();
    private final Map<Integer, Payload> payloadsByNumber = new HashMap<>();
    private final WireDecoder wire;
    private final WireEncoder encoder;

    public EventCodec() {
        for (FieldDescriptor field : Event.getDescriptor().getOneofs().get(0).getFields()) {
            Payload payload = new Payload(field);
            payloads.put(field.getName(), payload);
            payloadsByNumber.put(field.getNumber(), payload);
        }
        this.wire = new WireDecoder(payloadsByNumber.values());
        this.encoder = new WireEncoder(payloadsByNumber.values());
    }

    /**
     * The events of a serialized {@link EnvelopeBody}, decoded straight from the bytes: the same
     * events as {@link #decode(String, Event)} of each parsed {@link Event}, without the messages
     * in between or protobuf's reflection (what a route's reader pays per event).
     *
     * @param wanted the kinds to decode (the others are counted in the index but not decoded); empty for all
     * @param out gets each wanted event with its index in the body
     * @throws InvalidProtocolBufferException when the bytes are not an envelope body
     */
    public void decodeEvents(String agentId, ByteString body, java.util.Set<String> wanted, DecodedEvent out)
            throws InvalidProtocolBufferException {
        wire.decodeBody(agentId, body, wanted, out);
    }

    /** Where {@link #decodeEvents} hands each event. */
    @FunctionalInterface
    public interface DecodedEvent {
        void accept(int index, TelemetryEvent event);
    }

    /** The kinds with a typed payload in this schema version. */
    public java.util.Set<String> typedKinds() {
        return java.util.Collections.unmodifiableSet(payloads.keySet());
    }

    public Event encode(TelemetryEvent event) {
        Event.Builder out = Event.newBuilder()
                .setEntityId(event.entityId())
                .setTimestampNs(event.timestampNanos())
                .setKind(event.kind())
                .setEventSequence(event.sequence());
        Payload payload = payloads.get(event.kind());
        if (payload == null) {
            out.putAllExtraLabels(event.labels()).putAllExtraMetrics(event.metrics());
            return out.build();
        }
        Message.Builder typed = out.newBuilderForField(payload.field);
        event.labels().forEach((name, value) -> {
            FieldDescriptor f = payload.labels.get(name);
            if (f != null) {
                typed.setField(f, value);
            } else {
                out.putExtraLabels(name, value);
            }
        });
        event.metrics().forEach((name, value) -> {
            FieldDescriptor f = payload.metrics.get(name);
            if (f != null) {
                typed.setField(f, value);
            } else {
                out.putExtraMetrics(name, value);
            }
        });
        return out.setField(payload.field, typed.build()).build();
    }

    public TelemetryEvent decode(String agentId, Event event) {
        TelemetryEvent.Builder out = TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(event.getEventSequence())
                .entityId(event.getEntityId())
                .kind(event.getKind())
                .timestampNanos(event.getTimestampNs());
        if (event.getPayloadCase() != Event.PayloadCase.PAYLOAD_NOT_SET) {
            Payload payload = payloadsByNumber.get(event.getPayloadCase().getNumber());
            Message typed = (Message) event.getField(payload.field);
            for (FieldDescriptor f : payload.labelFields) {
                if (typed.hasField(f)) {
                    out.label(f.getName(), (String) typed.getField(f));
                }
            }
            decodeMetrics(payload, typed, event.getExtraMetricsCount() == 0, out);
        }
        event.getExtraLabelsMap().forEach(out::label);
        event.getExtraMetricsMap().forEach(out::metric);
        return out.build();
    }

    /**
     * A payload whose every metric is set and which travels with no extra ones (every flow record
     * of the flow agent) shares one {@link MetricNames}: the canonical stage then places it without
     * a lookup. Otherwise the metrics that are set go one by one.
     */
    private static void decodeMetrics(Payload payload, Message typed, boolean noExtras, TelemetryEvent.Builder out) {
        FieldDescriptor[] fields = payload.metricFields;
        double[] values = new double[fields.length];
        boolean all = true;
        for (int i = 0; i < fields.length; i++) {
            if (typed.hasField(fields[i])) {
                values[i] = (Double) typed.getField(fields[i]);
            } else {
                all = false;
            }
        }
        if (all && noExtras) {
            out.metrics(payload.allMetrics, values);
            return;
        }
        for (int i = 0; i < fields.length; i++) {
            if (typed.hasField(fields[i])) {
                out.metric(fields[i].getName(), values[i]);
            }
        }
    }

    /** An envelope body of {@code events}, all from {@code agentId}. */
    public EnvelopeBody body(String agentId, long sequence, long timestampNanos, List<TelemetryEvent> events) {
        EnvelopeBody.Builder body = EnvelopeBody.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION)
                .setAgentId(agentId)
                .setSequence(sequence)
                .setTimestampNs(timestampNanos);
        for (TelemetryEvent event : events) {
            body.addEvents(encode(event));
        }
        return body.build();
    }

    /**
     * The bytes of {@link #body} for the same arguments, written straight from the events without
     * building the messages (what an agent's publisher pays per event).
     */
    public ByteString bodyBytes(String agentId, long sequence, long timestampNanos, List<TelemetryEvent> events) {
        return encoder.body(SCHEMA_VERSION, agentId, sequence, timestampNanos, events);
    }

    /** The fields of one kind's payload, by name. */
    static final class Payload {
        final FieldDescriptor field;
        final Map<String, FieldDescriptor> labels = new HashMap<>();
        final Map<String, FieldDescriptor> metrics = new HashMap<>();
        final FieldDescriptor[] labelFields;
        /** In the order of {@link #allMetrics}: by name. */
        final FieldDescriptor[] metricFields;
        final MetricNames allMetrics;

        Payload(FieldDescriptor field) {
            this.field = field;
            Descriptor type = field.getMessageType();
            for (FieldDescriptor f : type.getFields()) {
                switch (f.getJavaType()) {
                    case STRING -> labels.put(f.getName(), f);
                    case DOUBLE -> metrics.put(f.getName(), f);
                    default -> throw new IllegalStateException(type.getName() + "." + f.getName()
                            + " is neither string nor double: the codec maps only labels and metrics");
                }
            }
            labelFields = labels.values().toArray(FieldDescriptor[]::new);
            allMetrics = MetricNames.of(metrics.keySet().toArray(String[]::new));
            metricFields = new FieldDescriptor[allMetrics.size()];
            for (int i = 0; i < metricFields.length; i++) {
                metricFields[i] = metrics.get(allMetrics.name(i));
            }
        }
    }
}
