package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The writer a file's extension asks for: {@code .csv}, {@code .jsonl} or {@code .parquet}. */
final class VectorFiles {
    private VectorFiles() {}

    /** Refuses an unknown extension before any work is done. */
    static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String format : new String[] {"csv", "jsonl", "parquet"}) {
            if (name.endsWith("." + format)) {
                return format;
            }
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + ": name it .csv, .jsonl or .parquet");
    }

    static VectorWriter open(Path file, FeatureSchema schema, Map<String, String> metadata) throws IOException {
        return switch (format(file)) {
            case "csv" -> new CsvVectorWriter(file, schema);
            case "jsonl" -> new JsonLinesVectorWriter(file, schema);
            default -> ParquetWriters.open(file, schema, metadata);
        };
    }
}
