package io.amoskys.model.evaluate;

import io.amoskys.model.evaluate.EvaluationReport.Verdicts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report as JSON ({@code --json}): the same numbers as the text, unrounded; NaN (undefined) as null. */
public final class ReportJson {
    private ReportJson() {}

    public static String render(EvaluationReport r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", r.model());
        json.put("version", r.version());
        json.put("kind", r.kind());
        json.put("data", r.data());
        json.put("threshold", r.threshold());
        json.put("vectors", object("attack", r.attackVectors(), "benign", r.benignVectors(), "unscored", r.unscored()));
        json.put("auc", r.auc());
        json.put("categories", r.categories().stream()
                .map(c -> object("category", c.category(), "captures", c.captures(), "vectors", c.vectors(), "auc", c.auc()))
                .toList());
        Verdicts v = r.atThreshold();
        json.put("atThreshold", object("precision", v.precision(), "recall", v.recall(), "truePositives", v.truePositives(),
                "falsePositives", v.falsePositives(), "falseNegatives", v.falseNegatives(), "trueNegatives", v.trueNegatives()));
        json.put("captures", r.captures().stream()
                .map(c -> object("capture", c.capture(), "category", c.category(), "benign", c.benign(), "vectors", c.vectors(),
                        "unscored", c.unscored(), "maxScore", c.maxScore(), "flagged", c.flagged()))
                .toList());
        StringBuilder out = new StringBuilder();
        value(out, json, "");
        return out.append('\n').toString();
    }

    /** An ordered object from alternating keys and values. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void value(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            String inner = indent + "  ";
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(inner);
                string(out, (String) e.getKey());
                out.append(": ");
                value(out, e.getValue(), inner);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof List<?> list) {
            String inner = indent + "  ";
            out.append(list.isEmpty() ? "[" : "[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(inner);
                value(out, list.get(i), inner);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(list.isEmpty() ? "" : indent).append(']');
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else {
            out.append(value); // integers and booleans
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
