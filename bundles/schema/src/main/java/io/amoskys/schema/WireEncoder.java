package io.amoskys.schema;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link EnvelopeBody} bytes straight from telemetry events: the bytes protobuf's generated
 * serializer writes for the body {@link EventCodec#body} builds (fields in number order, a
 * payload's fields only when set, map entries in the event's order with key and value), without
 * building the messages or setting their fields through protobuf's reflection. The payload tables
 * come from the descriptors, as the decoder's do. Thread-safe.
 */
final class WireEncoder {
    private static final int BODY_SCHEMA = EnvelopeBody.SCHEMA_VERSION_FIELD_NUMBER;
    private static final int BODY_AGENT = EnvelopeBody.AGENT_ID_FIELD_NUMBER;
    private static final int BODY_SEQUENCE = EnvelopeBody.SEQUENCE_FIELD_NUMBER;
    private static final int BODY_TIMESTAMP = EnvelopeBody.TIMESTAMP_NS_FIELD_NUMBER;
    private static final int BODY_EVENTS = EnvelopeBody.EVENTS_FIELD_NUMBER;
    private static final int EXTRA_LABELS = Event.EXTRA_LABELS_FIELD_NUMBER;
    private static final int EXTRA_METRICS = Event.EXTRA_METRICS_FIELD_NUMBER;
    /** A map entry's key and value fields. */
    private static final int KEY = 1;
    private static final int VALUE = 2;

    /** One typed payload: which field of the event holds it, and its fields' numbers by name. */
    private static final class Table {
        final int number;
        final int top;
        final Map<String, Integer> labels = new HashMap<>();
        final Map<String, Integer> metrics = new HashMap<>();
        /** The field numbers of the last {@link MetricNames} layout seen, by index (0: not in the payload). */
        volatile Layout last;

        Table(EventCodec.Payload payload) {
            this.number = payload.field.getNumber();
            int highest = 0;
            for (FieldDescriptor f : payload.labelFields) {
                labels.put(f.getName(), f.getNumber());
                highest = Math.max(highest, f.getNumber());
            }
            for (FieldDescriptor f : payload.metricFields) {
                metrics.put(f.getName(), f.getNumber());
                highest = Math.max(highest, f.getNumber());
            }
            this.top = highest;
        }

        /** Where each metric of {@code names} goes: shared by every event made on that layout (a flow agent's). */
        int[] numbers(MetricNames names) {
            Layout layout = last;
            if (layout == null || layout.names != names) {
                int[] numbers = new int[names.size()];
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = metrics.getOrDefault(names.name(i), 0);
                }
                layout = new Layout(names, numbers);
                last = layout;
            }
            return layout.numbers;
        }
    }

    private record Layout(MetricNames names, int[] numbers) {}

    private final Map<String, Table> byKind = new HashMap<>();

    WireEncoder(Collection<EventCodec.Payload> payloads) {
        for (EventCodec.Payload p : payloads) {
            byKind.put(p.field.getName(), new Table(p));
        }
    }

    /** The serialized body of these events, all from {@code agentId}. */
    ByteString body(int schemaVersion, String agentId, long sequence, long timestampNanos, List<TelemetryEvent> events) {
        Writer w = new Writer();
        try {
            ByteString.Output out = ByteString.newOutput(Math.max(64, events.size() * 160));
            CodedOutputStream body = CodedOutputStream.newInstance(out, 8192);
            if (schemaVersion != 0) {
                body.writeUInt32(BODY_SCHEMA, schemaVersion);
            }
            if (!agentId.isEmpty()) {
                body.writeString(BODY_AGENT, agentId);
            }
            if (sequence != 0) {
                body.writeUInt64(BODY_SEQUENCE, sequence);
            }
            if (timestampNanos != 0) {
                body.writeInt64(BODY_TIMESTAMP, timestampNanos);
            }
            for (TelemetryEvent event : events) {
                w.event(event);
                body.writeTag(BODY_EVENTS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                body.writeUInt32NoTag(w.eventLength);
                body.writeRawBytes(w.event, 0, w.eventLength);
            }
            body.flush();
            return out.toByteString();
        } catch (IOException e) { // written to memory: cannot happen
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One body's scratch space: an event is written into {@link #event} (its payload first into
     * {@link #payload}, to know its length), grown when too small, kept for the next event.
     */
    private final class Writer {
        byte[] event = new byte[512];
        int eventLength;
        byte[] payload = new byte[512];
        String[] labels = new String[0];
        double[] metrics = new double[0];
        boolean[] present = new boolean[0];
        /** How many of the last event's labels its payload holds: when all, none travels in the map. */
        int labelsInPayload;

        void event(TelemetryEvent e) {
            Table table = byKind.get(e.kind());
            int payloadLength = table == null ? -1 : payload(e, table);
            while (true) {
                try {
                    eventLength = write(e, table, payloadLength);
                    return;
                } catch (CodedOutputStream.OutOfSpaceException tooSmall) {
                    event = new byte[event.length * 2];
                } catch (IOException impossible) {
                    throw new UncheckedIOException(impossible);
                }
            }
        }

        private int write(TelemetryEvent e, Table table, int payloadLength) throws IOException {
            CodedOutputStream out = CodedOutputStream.newInstance(event);
            if (!e.entityId().isEmpty()) {
                out.writeString(Event.ENTITY_ID_FIELD_NUMBER, e.entityId());
            }
            if (e.timestampNanos() != 0) {
                out.writeInt64(Event.TIMESTAMP_NS_FIELD_NUMBER, e.timestampNanos());
            }
            if (!e.kind().isEmpty()) {
                out.writeString(Event.KIND_FIELD_NUMBER, e.kind());
            }
            if (e.sequence() != 0) {
                out.writeUInt64(Event.EVENT_SEQUENCE_FIELD_NUMBER, e.sequence());
            }
            if (table != null) {
                out.writeTag(table.number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(payloadLength);
                out.writeRawBytes(payload, 0, payloadLength);
            }
            // What the payload has no field for travels in the maps, in the event's order.
            if (table == null || labelsInPayload < e.labels().size()) {
                for (Map.Entry<String, String> label : e.labels().entrySet()) {
                    if (table == null || !table.labels.containsKey(label.getKey())) {
                        out.writeTag(EXTRA_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                        out.writeUInt32NoTag(CodedOutputStream.computeStringSize(KEY, label.getKey())
                                + CodedOutputStream.computeStringSize(VALUE, label.getValue()));
                        out.writeString(KEY, label.getKey());
                        out.writeString(VALUE, label.getValue());
                    }
                }
            }
            MetricNames names = e.metricNames();
            int[] numbers = table == null ? null : table.numbers(names);
            for (int i = 0; i < names.size(); i++) {
                if (numbers == null || numbers[i] == 0) {
                    extraMetric(out, names.name(i), e.metricValue(i));
                }
            }
            return out.getTotalBytesWritten();
        }

        private void extraMetric(CodedOutputStream out, String name, double value) throws IOException {
            out.writeTag(EXTRA_METRICS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(CodedOutputStream.computeStringSize(KEY, name) + CodedOutputStream.computeDoubleSize(VALUE, value));
            out.writeString(KEY, name);
            out.writeDouble(VALUE, value);
        }

        /** The event's payload fields into {@link #payload}, in field number order; @return its length */
        private int payload(TelemetryEvent e, Table table) {
            int size = table.top + 1;
            if (labels.length < size) {
                labels = new String[size];
                metrics = new double[size];
                present = new boolean[size];
            } else {
                Arrays.fill(labels, 0, size, null);
                Arrays.fill(present, 0, size, false);
            }
            labelsInPayload = 0;
            for (Map.Entry<String, String> label : e.labels().entrySet()) {
                Integer n = table.labels.get(label.getKey());
                if (n != null) {
                    labels[n] = label.getValue();
                    labelsInPayload++;
                }
            }
            int[] numbers = table.numbers(e.metricNames());
            for (int i = 0; i < numbers.length; i++) {
                if (numbers[i] != 0) {
                    metrics[numbers[i]] = e.metricValue(i);
                    present[numbers[i]] = true;
                }
            }
            while (true) {
                try {
                    CodedOutputStream out = CodedOutputStream.newInstance(payload);
                    for (int n = 1; n < size; n++) {
                        if (labels[n] != null) {
                            out.writeString(n, labels[n]);
                        } else if (present[n]) {
                            out.writeDouble(n, metrics[n]);
                        }
                    }
                    return out.getTotalBytesWritten();
                } catch (CodedOutputStream.OutOfSpaceException tooSmall) {
                    payload = new byte[payload.length * 2];
                } catch (IOException impossible) {
                    throw new UncheckedIOException(impossible);
                }
            }
        }
    }
}
