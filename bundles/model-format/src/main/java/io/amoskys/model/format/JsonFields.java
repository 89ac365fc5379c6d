package io.amoskys.model.format;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A parsed descriptor object read field by field, each with its JSON type checked. */
final class JsonFields {
    private final Map<?, ?> json;

    JsonFields(Map<?, ?> json) {
        this.json = json;
    }

    ModelDescriptor.Builder toBuilder() {
        return ModelDescriptor.builder()
                .name(string("name"))
                .version(string("version"))
                .schema(string("schema"))
                .features(strings("features"))
                .window(json.containsKey("window") ? whole("window") : 1)
                .input(string("input"))
                .output(string("output"))
                .outputIndex(json.containsKey("outputIndex") ? index("outputIndex") : -1)
                .outputMeaning(string("outputMeaning"))
                .calibration(Calibration.fromJson(object("calibration")))
                .threshold(number("threshold"))
                .onnx(string("onnx"), string("onnxSha256"))
                .training(object("training"));
    }

    private Object required(String field) {
        Object value = json.get(field);
        if (value == null) {
            throw new DescriptorException(field, "is missing");
        }
        return value;
    }

    private String string(String field) {
        if (required(field) instanceof String s) {
            return s;
        }
        throw new DescriptorException(field, "must be a string");
    }

    private List<String> strings(String field) {
        if (required(field) instanceof List<?> list) {
            List<String> strings = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new DescriptorException(field, "must be an array of strings");
                }
                strings.add(s);
            }
            return strings;
        }
        throw new DescriptorException(field, "must be an array of strings");
    }

    private double number(String field) {
        if (required(field) instanceof Number n) {
            return n.doubleValue();
        }
        throw new DescriptorException(field, "must be a number");
    }

    private int index(String field) {
        return whole(field);
    }

    private int whole(String field) {
        Object value = required(field);
        try {
            if (value instanceof BigDecimal d) {
                return d.intValueExact();
            }
        } catch (ArithmeticException e) {
            // falls through to the error below
        }
        throw new DescriptorException(field, "must be a whole number");
    }

    private Map<String, Object> object(String field) {
        if (required(field) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw new DescriptorException(field, "must be an object");
    }
}
