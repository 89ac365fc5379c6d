package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * JSON lines: a first line {@code {"amoskys_schema": NAME, "version": V, "features": [...]}},
 * then one object per vector with the leading columns and every feature by name. A value that is
 * not a finite number is written as null.
 */
final class JsonLinesVectorWriter implements VectorWriter {
    private final BufferedWriter out;
    private final List<String> features;
    /** Each feature's name as a JSON string and a colon, made once. */
    private final String[] keys;

    JsonLinesVectorWriter(Path file, FeatureSchema schema) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.features = schema.features();
        this.keys = features.stream().map(f -> "," + string(f) + ":").toArray(String[]::new);
        StringBuilder header = new StringBuilder("{\"amoskys_schema\":").append(string(schema.name()))
                .append(",\"version\":").append(schema.version()).append(",\"features\":[");
        for (int i = 0; i < features.size(); i++) {
            header.append(i == 0 ? "" : ",").append(string(features.get(i)));
        }
        out.write(header.append("]}\n").toString());
    }

    @Override
    public void write(VectorRow row) throws IOException {
        StringBuilder line = new StringBuilder(64 + row.values().length * 24);
        line.append("{\"entity\":").append(string(row.entity()))
                .append(",\"timestamp_ns\":").append(row.timestampNanos())
                .append(",\"label\":").append(string(row.label()))
                .append(",\"event_ids\":").append(string(row.eventIds()));
        double[] values = row.values();
        for (int i = 0; i < values.length; i++) {
            line.append(keys[i]);
            line.append(Double.isFinite(values[i]) ? Double.toString(values[i]) : "null");
        }
        out.write(line.append("}\n").toString());
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
