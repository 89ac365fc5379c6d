package io.amoskys.schema;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Reads {@link EnvelopeBody} bytes into telemetry events field by field, as protobuf's generated
 * parser would read them into messages (any field order, the last of a repeated value wins,
 * unknown fields and fields of an unexpected wire type skipped, strings checked as UTF-8), then
 * maps them as {@link EventCodec#decode} does. The payload tables come from the descriptors, so a
 * field added to a payload needs no code here.
 */
final class WireDecoder {
    private static final int BODY_EVENTS = EnvelopeBody.EVENTS_FIELD_NUMBER;
    private static final int ENTITY_ID = Event.ENTITY_ID_FIELD_NUMBER;
    private static final int TIMESTAMP = Event.TIMESTAMP_NS_FIELD_NUMBER;
    private static final int KIND = Event.KIND_FIELD_NUMBER;
    private static final int SEQUENCE = Event.EVENT_SEQUENCE_FIELD_NUMBER;
    private static final int EXTRA_LABELS = Event.EXTRA_LABELS_FIELD_NUMBER;
    private static final int EXTRA_METRICS = Event.EXTRA_METRICS_FIELD_NUMBER;
    /** Tags of a map entry's fields (field number << 3 | wire type). */
    private static final int KEY_STRING = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int VALUE_STRING = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int VALUE_DOUBLE = 2 << 3 | WireFormat.WIRETYPE_FIXED64;

    /** A payload's fields by number: a label's name, or the index of a metric in the payload's names. */
    private static final class Table {
        final EventCodec.Payload payload;
        final String[] labels;
        final int[] metrics; // index + 1; 0: not a metric

        Table(EventCodec.Payload payload) {
            this.payload = payload;
            int top = 0;
            for (FieldDescriptor f : payload.field.getMessageType().getFields()) {
                top = Math.max(top, f.getNumber());
            }
            labels = new String[top + 1];
            metrics = new int[top + 1];
            for (FieldDescriptor f : payload.labelFields) {
                // the instance of the literal that agents and stages name the label with: events' label
                // lookups then find it by identity (TelemetryEvent.labels())
                labels[f.getNumber()] = f.getName().intern();
            }
            for (int i = 0; i < payload.metricFields.length; i++) {
                metrics[payload.metricFields[i].getNumber()] = i + 1;
            }
        }
    }

    private final Table[] byNumber;

    WireDecoder(Collection<EventCodec.Payload> payloads) {
        int top = 0;
        for (EventCodec.Payload p : payloads) {
            top = Math.max(top, p.field.getNumber());
        }
        byNumber = new Table[top + 1];
        for (EventCodec.Payload p : payloads) {
            byNumber[p.field.getNumber()] = new Table(p);
        }
    }

    void decodeBody(String agentId, ByteString body, Set<String> wanted, EventCodec.DecodedEvent out)
            throws InvalidProtocolBufferException {
        try {
            read(agentId, body.newCodedInput(), wanted, out);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (java.io.IOException e) { // bytes in memory: only malformed input gets here
            throw new InvalidProtocolBufferException(e);
        }
    }

    private void read(String agentId, CodedInputStream in, Set<String> wanted, EventCodec.DecodedEvent out)
            throws java.io.IOException {
        int index = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == BODY_EVENTS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                TelemetryEvent event = event(agentId, in, wanted);
                in.popLimit(limit);
                if (event != null) {
                    out.accept(index, event);
                }
                index++;
            } else if (!in.skipField(tag)) {
                break;
            }
        }
    }

    /** One event, up to the stream's limit; null when its kind is not wanted. */
    private TelemetryEvent event(String agentId, CodedInputStream in, Set<String> wanted) throws java.io.IOException {
        String entityId = "";
        String kind = "";
        long timestamp = 0;
        long sequence = 0;
        Table payload = null;
        String[] labels = null; // the values of the payload's labels, by field number
        double[] metrics = null;
        boolean[] present = null;
        List<Object> extraLabels = null; // name, value, name, value...
        List<Object> extraMetrics = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            if (number == ENTITY_ID && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                entityId = in.readStringRequireUtf8();
            } else if (number == TIMESTAMP && type == WireFormat.WIRETYPE_VARINT) {
                timestamp = in.readInt64();
            } else if (number == KIND && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                kind = in.readStringRequireUtf8();
            } else if (number == SEQUENCE && type == WireFormat.WIRETYPE_VARINT) {
                sequence = in.readUInt64();
            } else if (number < byNumber.length && byNumber[number] != null && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                // A oneof: a later payload replaces an earlier one; the same payload twice merges.
                Table table = byNumber[number];
                if (table != payload) {
                    payload = table;
                    labels = new String[table.labels.length];
                    metrics = new double[table.payload.metricFields.length];
                    present = new boolean[metrics.length];
                }
                int limit = in.pushLimit(in.readRawVarint32());
                payload(in, table, labels, metrics, present);
                in.popLimit(limit);
            } else if (number == EXTRA_LABELS && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                extraLabels = mapEntry(in, VALUE_STRING, extraLabels);
            } else if (number == EXTRA_METRICS && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                extraMetrics = mapEntry(in, VALUE_DOUBLE, extraMetrics);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        if (!wanted.isEmpty() && !wanted.contains(kind)) {
            return null;
        }
        TelemetryEvent.Builder out = TelemetryEvent.builder().agentId(agentId).sequence(sequence).entityId(entityId)
                .kind(kind).timestampNanos(timestamp);
        if (payload != null) {
            for (int number = 0; number < labels.length; number++) {
                if (labels[number] != null) {
                    out.label(payload.labels[number], labels[number]);
                }
            }
            metrics(payload, metrics, present, extraMetrics == null, out);
        }
        if (extraLabels != null) {
            for (int i = 0; i < extraLabels.size(); i += 2) {
                out.label((String) extraLabels.get(i), (String) extraLabels.get(i + 1));
            }
        }
        if (extraMetrics != null) {
            for (int i = 0; i < extraMetrics.size(); i += 2) {
                out.metric((String) extraMetrics.get(i), (Double) extraMetrics.get(i + 1));
            }
        }
        return out.build();
    }

    /**
     * One map entry, up to its length, added to {@code entries} (made when null) as key, value: a
     * missing key reads as "", a missing value as "" or 0, as protobuf's maps read them.
     *
     * @param valueTag {@link #VALUE_STRING} or {@link #VALUE_DOUBLE}
     */
    private static List<Object> mapEntry(CodedInputStream in, int valueTag, List<Object> entries) throws java.io.IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        Object value = valueTag == VALUE_DOUBLE ? (Object) 0.0 : "";
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == KEY_STRING) {
                key = in.readStringRequireUtf8();
            } else if (t == valueTag) {
                value = valueTag == VALUE_DOUBLE ? (Object) in.readDouble() : in.readStringRequireUtf8();
            } else if (!in.skipField(t)) {
                break;
            }
        }
        in.popLimit(limit);
        List<Object> out = entries == null ? new ArrayList<>() : entries;
        out.add(key);
        out.add(value);
        return out;
    }

    /** The payload's fields into {@code labels} (values by field number) and {@code metrics}. */
    private static void payload(CodedInputStream in, Table table, String[] labels, double[] metrics, boolean[] present)
            throws java.io.IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            if (number < table.labels.length && table.labels[number] != null && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                labels[number] = in.readStringRequireUtf8();
            } else if (number < table.metrics.length && table.metrics[number] != 0 && type == WireFormat.WIRETYPE_FIXED64) {
                int i = table.metrics[number] - 1;
                metrics[i] = in.readDouble();
                present[i] = true;
            } else if (!in.skipField(tag)) {
                break;
            }
        }
    }

    /** As {@link EventCodec}'s decodeMetrics: a payload with every metric and no extras shares its names. */
    private static void metrics(Table table, double[] values, boolean[] present, boolean noExtras, TelemetryEvent.Builder out) {
        boolean all = true;
        for (boolean p : present) {
            all &= p;
        }
        if (all && noExtras) {
            out.metrics(table.payload.allMetrics, values);
            return;
        }
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                out.metric(table.payload.metricFields[i].getName(), values[i]);
            }
        }
    }
}
