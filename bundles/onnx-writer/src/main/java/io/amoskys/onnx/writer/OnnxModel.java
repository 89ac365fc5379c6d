package io.amoskys.onnx.writer;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole model ({@code ModelProto}): the IR version, the operator sets, who made it, the graph and
 * free-form metadata. {@link #toByteArray()} is the {@code .onnx} file.
 */
public record OnnxModel(long irVersion, List<OpsetId> opsets, String producerName, String producerVersion, OnnxGraph graph,
        SortedMap<String, String> metadata) {

    /** IR version 8 (ONNX 1.10): enough for opset 15 and ai.onnx.ml 3, read by every current runtime. */
    public static final long IR_VERSION_8 = 8;

    public OnnxModel {
        if (opsets.isEmpty()) {
            throw new IllegalArgumentException("a model must import at least one operator set");
        }
        opsets = List.copyOf(opsets);
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
        if (graph == null) {
            throw new IllegalArgumentException("a model needs a graph");
        }
    }

    /** @param metadata any map: it is written sorted by key, so its own order does not matter */
    public static OnnxModel of(List<OpsetId> opsets, String producerName, String producerVersion, OnnxGraph graph,
            Map<String, String> metadata) {
        return new OnnxModel(IR_VERSION_8, opsets, producerName, producerVersion, graph, new TreeMap<>(metadata));
    }

    /** The model in the protocol buffers wire format: the same model gives the same bytes. */
    public byte[] toByteArray() {
        ProtoOutput out = new ProtoOutput().int64(1, irVersion);
        out.optionalString(2, producerName);
        out.optionalString(3, producerVersion);
        out.message(7, graph.encode());
        opsets.forEach(opset -> out.message(8, opset.encode()));
        metadata.forEach((key, value) -> out.message(14, new ProtoOutput().string(1, key).string(2, value)));
        return out.toByteArray();
    }
}
