package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.feature.export.parquet.ParquetVectorWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Opens a {@link ParquetVectorWriter} as a {@link VectorWriter}. */
final class ParquetWriters {
    private ParquetWriters() {}

    static VectorWriter open(Path out, FeatureSchema schema, Map<String, String> metadata) throws IOException {
        return open(out, schema, metadata, ParquetVectorWriter.DEFAULT_ROW_GROUP_ROWS);
    }

    static VectorWriter open(Path out, FeatureSchema schema, Map<String, String> metadata, int rowGroupRows)
            throws IOException {
        ParquetVectorWriter parquet = new ParquetVectorWriter(out, schema, metadata, rowGroupRows);
        return new VectorWriter() {
            @Override
            public void write(VectorRow row) throws IOException {
                parquet.write(row.entity(), row.timestampNanos(), row.label(), row.eventIds(), row.values());
            }

            @Override
            public void close() throws IOException {
                parquet.close();
            }
        };
    }
}
