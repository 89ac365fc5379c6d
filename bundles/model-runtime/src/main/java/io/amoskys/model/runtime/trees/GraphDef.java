package io.amoskys.model.runtime.trees;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What the tree evaluator reads of an ONNX model ({@code ModelProto}): the main graph's nodes with
 * their attributes, its float32 constants, and the names of its outputs. Everything else
 * (value types, metadata, functions, sparse or external tensors) is skipped; a graph that needs it
 * is one the evaluator does not take.
 */
record GraphDef(List<NodeDef> nodes, Map<String, TensorDef> constants, List<String> outputs) {

    /** A tensor of the file; {@code values} is null unless it is float32 with its data in the file. */
    record TensorDef(long[] dims, float[] values) {
        static final int FLOAT = 1;
    }

    record AttributeDef(String name, long i, float f, String s, long[] ints, float[] floats, List<String> strings, TensorDef tensor,
            boolean reference) {}

    record NodeDef(String opType, String domain, List<String> inputs, List<String> outputs, Map<String, AttributeDef> attributes) {}

    /** @throws IllegalArgumentException when the bytes are not a well-formed ONNX model */
    static GraphDef read(byte[] onnx) {
        ProtoReader model = new ProtoReader(onnx, 0, onnx.length);
        GraphDef graph = null;
        while (model.next()) {
            if (model.field() == 7 && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
                graph = graph(model.message());
            } else {
                model.skip();
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("the model has no graph");
        }
        return graph;
    }

    private static GraphDef graph(ProtoReader in) {
        List<NodeDef> nodes = new ArrayList<>();
        Map<String, TensorDef> constants = new HashMap<>();
        List<String> outputs = new ArrayList<>();
        while (in.next()) {
            switch (in.field()) {
                case 1 -> nodes.add(node(in.message()));
                case 5 -> {
                    NamedTensor initializer = tensor(in.message());
                    constants.put(initializer.name(), initializer.tensor());
                }
                case 12 -> outputs.add(valueName(in.message()));
                default -> in.skip();
            }
        }
        return new GraphDef(List.copyOf(nodes), Map.copyOf(constants), List.copyOf(outputs));
    }

    private static String valueName(ProtoReader in) {
        String name = "";
        while (in.next()) {
            if (in.field() == 1) {
                name = in.string();
            } else {
                in.skip();
            }
        }
        return name;
    }

    private static NodeDef node(ProtoReader in) {
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, AttributeDef> attributes = new LinkedHashMap<>();
        while (in.next()) {
            switch (in.field()) {
                case 1 -> inputs.add(in.string());
                case 2 -> outputs.add(in.string());
                case 4 -> opType = in.string();
                case 5 -> {
                    AttributeDef a = attribute(in.message());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = in.string();
                default -> in.skip();
            }
        }
        return new NodeDef(opType, domain, List.copyOf(inputs), List.copyOf(outputs), attributes);
    }

    private static AttributeDef attribute(ProtoReader in) {
        String name = "";
        long i = 0;
        float f = 0;
        String s = null;
        Repeated ints = new Repeated();
        Repeated floats = new Repeated();
        List<String> strings = new ArrayList<>();
        TensorDef tensor = null;
        boolean reference = false;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> name = in.string();
                case 2 -> f = in.fixed32Float();
                case 3 -> i = in.varint();
                case 4 -> s = in.string();
                case 5 -> tensor = tensor(in.message()).tensor();
                case 7 -> floats.readFloats(in);
                case 8 -> ints.readVarints(in);
                case 9 -> strings.add(in.string());
                case 21 -> {
                    reference = true;
                    in.skip();
                }
                default -> in.skip();
            }
        }
        return new AttributeDef(name, i, f, s, ints.longs(), floats.floats(), List.copyOf(strings), tensor, reference);
    }

    private record NamedTensor(String name, TensorDef tensor) {}

    private static NamedTensor tensor(ProtoReader in) {
        String name = "";
        Repeated dims = new Repeated();
        long type = 0;
        Repeated floats = new Repeated();
        byte[] raw = null;
        boolean external = false;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> dims.readVarints(in);
                case 2 -> type = in.varint();
                case 4 -> floats.readFloats(in);
                case 8 -> name = in.string();
                case 9 -> raw = in.bytesField();
                case 14 -> external = in.varint() != 0;
                default -> in.skip();
            }
        }
        long[] shape = dims.longs();
        if (type != TensorDef.FLOAT || external) {
            return new NamedTensor(name, new TensorDef(shape, null));
        }
        float[] values = raw == null ? floats.floats() : littleEndianFloats(raw);
        long count = 1;
        for (long d : shape) {
            count = d < 0 ? -1 : count * d;
            if (count < 0 || count > Integer.MAX_VALUE) {
                return new NamedTensor(name, new TensorDef(shape, null));
            }
        }
        return new NamedTensor(name, new TensorDef(shape, count == values.length ? values : null));
    }

    private static float[] littleEndianFloats(byte[] raw) {
        if (raw.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("float32 raw data of " + raw.length + " bytes");
        }
        float[] values = new float[raw.length / Float.BYTES];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** A repeated int64 or float field, packed or not; a float is kept as its bits. */
    private static final class Repeated {
        private long[] values = new long[8];
        private int size;

        void readVarints(ProtoReader in) {
            read(in, ProtoReader.VARINT, ProtoReader::varint);
        }

        void readFloats(ProtoReader in) {
            read(in, ProtoReader.FIXED32, r -> Float.floatToRawIntBits(r.fixed32Float()));
        }

        /** The packed values one after another, or the field's one value when it has {@code wireType}. */
        private void read(ProtoReader in, int wireType, ToLongFunction<ProtoReader> value) {
            if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader packed = in.message();
                while (!packed.atEnd()) {
                    add(value.applyAsLong(packed));
                }
            } else if (in.wireType() == wireType) {
                add(value.applyAsLong(in));
            } else {
                throw new IllegalArgumentException("a repeated field of wire type " + in.wireType());
            }
        }

        private void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] longs() {
            return Arrays.copyOf(values, size);
        }

        float[] floats() {
            float[] floats = new float[size];
            for (int k = 0; k < size; k++) {
                floats[k] = Float.intBitsToFloat((int) values[k]);
            }
            return floats;
        }
    }
}
