package io.amoskys.model.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The checks of a descriptor's values, each failing with the field at fault. */
final class DescriptorRules {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,8})(\\.(0|[1-9][0-9]{0,8})){2}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private DescriptorRules() {}

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DescriptorException(null, "the descriptor is not UTF-8");
        }
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new DescriptorException(field, "is missing or empty");
        }
        return value;
    }

    static String matching(String field, String value, Pattern pattern, String rule) {
        if (!pattern.matcher(text(field, value)).matches()) {
            throw new DescriptorException(field, "'" + value + "' is not " + rule);
        }
        return value;
    }

    static List<String> checkedFeatures(List<String> features) {
        if (features == null || features.isEmpty()) {
            throw new DescriptorException("features", "must name at least one input column");
        }
        HashSet<String> seen = new HashSet<>();
        for (String feature : features) {
            if (feature == null || feature.isBlank()) {
                throw new DescriptorException("features", "holds an empty name");
            }
            if (!seen.add(feature)) {
                throw new DescriptorException("features", "names '" + feature + "' twice");
            }
        }
        return List.copyOf(features);
    }

    static String onnxPath(String path) {
        text("onnx", path);
        if (!PATH.matcher(path).matches() || Arrays.asList(path.split("/")).contains("..")
                || Arrays.asList(path.split("/")).contains(".")) {
            throw new DescriptorException("onnx", "'" + path + "' is not a relative path inside the bundle");
        }
        return path;
    }

    /** Deeper than this, a descriptor is refused: provenance needs a few levels, a hostile file thousands. */
    static final int MAX_DEPTH = 32;

    /** A deep, immutable copy with every map sorted by key, so that the JSON is canonical. */
    static Map<String, Object> sortedCopy(String field, Map<?, ?> map) {
        return sortedCopy(field, map, 0);
    }

    private static Map<String, Object> sortedCopy(String field, Map<?, ?> map, int depth) {
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new DescriptorException(field, "has a key that is not a string");
            }
            copy.put(key, immutable(field, e.getValue(), depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    static Object immutable(String field, Object value) {
        return immutable(field, value, 0);
    }

    private static Object immutable(String field, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DescriptorException(field, "is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            return sortedCopy(field, map, depth);
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(immutable(field, v, depth + 1)));
            return Collections.unmodifiableList(copy);
        } else if (value instanceof Number n) {
            if (!Double.isFinite(n.doubleValue())) {
                throw new DescriptorException(field, "holds " + n + ", which JSON has not");
            }
            return n;
        } else if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        throw new DescriptorException(field, "holds a " + value.getClass().getSimpleName() + ", which JSON has not");
    }
}
