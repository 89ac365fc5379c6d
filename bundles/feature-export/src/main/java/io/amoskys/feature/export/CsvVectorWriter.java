package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CSV (RFC 4180) with one comment line first naming the schema and its version
 * ({@code pandas.read_csv(f, comment="#")} skips it). Doubles are written so that they read back
 * exactly.
 */
final class CsvVectorWriter implements VectorWriter {
    private final BufferedWriter out;

    CsvVectorWriter(Path file, FeatureSchema schema) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("# amoskys feature schema " + schema.name() + " version " + schema.version() + "\n");
        StringBuilder header = new StringBuilder(String.join(",", LEADING_COLUMNS));
        for (String feature : schema.features()) {
            header.append(',').append(feature);
        }
        out.write(header.append('\n').toString());
    }

    @Override
    public void write(VectorRow row) throws IOException {
        StringBuilder line = new StringBuilder(64 + row.values().length * 8);
        line.append(quoted(row.entity())).append(',').append(row.timestampNanos()).append(',')
                .append(quoted(row.label())).append(',').append(quoted(row.eventIds()));
        for (double value : row.values()) {
            line.append(',');
            if (Double.isFinite(value)) {
                line.append(value);
            }
        }
        out.write(line.append('\n').toString());
    }

    private static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
