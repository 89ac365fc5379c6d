package io.amoskys.schema;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random telemetry events of every kind the schema types and of one it does not: payloads full or
 * with fields left out, empty labels and zero metrics, extra labels and metrics beside them.
 */
final class RandomEvents {
    private RandomEvents() {}

    static TelemetryEvent event(EventCodec codec, Random random, long sequence) {
        List<String> kinds = new ArrayList<>(codec.typedKinds());
        kinds.sort(null);
        kinds.add("acme-meter");
        String kind = kinds.get(random.nextInt(kinds.size()));
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("a").sequence(sequence).kind(kind)
                .entityId("host:10.0.0." + random.nextInt(255))
                .timestampNanos(random.nextLong());
        FieldDescriptor payload = Event.getDescriptor().findFieldByName(kind);
        boolean full = random.nextBoolean();
        if (payload != null) {
            for (FieldDescriptor f : payload.getMessageType().getFields()) {
                if (!full && random.nextInt(3) == 0) {
                    continue;
                }
                if (f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                    b.label(f.getName(), random.nextInt(6) == 0 ? "" : "v\u00e9" + random.nextInt(1000));
                } else {
                    b.metric(f.getName(), random.nextInt(6) == 0 ? 0.0 : random.nextGaussian() * 1e6);
                }
            }
        }
        if (!full || payload == null) {
            for (int i = random.nextInt(3); i > 0; i--) {
                b.label("extra" + random.nextInt(4), "x" + random.nextInt(9));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                b.metric("extra_metric" + random.nextInt(4), random.nextDouble());
            }
        }
        return b.build();
    }
}
