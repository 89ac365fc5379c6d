package io.amoskys.feature.export.parquet;

import io.amoskys.api.event.FeatureSchema;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the vectors of one feature schema to an Apache Parquet file, with no library but the JDK.
 *
 * <p>Columns, all REQUIRED: {@code entity}, {@code label} and {@code event_ids} as BYTE_ARRAY
 * strings (logical type STRING, converted type UTF8), {@code timestamp_ns} as INT64 (logical type
 * TIMESTAMP in nanoseconds, adjusted to UTC), then one DOUBLE column per feature, named as in the
 * schema. Rows are buffered column-wise up to {@code rowGroupRows} (or until a string column holds
 * {@link #DEFAULT_STRING_COLUMN_BYTES}), then written as a row group: per column one chunk of one
 * v1 data page, PLAIN encoded and uncompressed. {@link #close()} writes the footer: the file
 * metadata in Thrift's compact protocol, carrying the caller's key/value metadata and
 * {@value #SCHEMA_NAME_KEY} and {@value #SCHEMA_VERSION_KEY}, so that a model can check it is
 * trained on the columns it will see. The timestamp and feature columns carry min/max statistics.
 *
 * <p>Not thread-safe. A null label or event id list is written as the empty string.
 */
public final class ParquetVectorWriter implements Closeable {
    public static final int DEFAULT_ROW_GROUP_ROWS = 65_536;
    /** The row group is written early once one string column's page would exceed this many bytes. */
    public static final int DEFAULT_STRING_COLUMN_BYTES = 64 << 20;
    public static final String CREATED_BY = "amoskys feature export";
    public static final String SCHEMA_NAME_KEY = "amoskys.schema.name";
    public static final String SCHEMA_VERSION_KEY = "amoskys.schema.version";
    /** The fixed columns before the features, in file order. */
    public static final List<String> LEADING_COLUMNS = List.of("entity", "timestamp_ns", "label", "event_ids");

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ROW_GROUP_ROWS = Integer.MAX_VALUE / Double.BYTES;
    private static final int MAX_STRING_COLUMN_BYTES = 1 << 30;
    private static final int MAX_STRING_BYTES = 1 << 29;

    // parquet.thrift enums
    private static final int TYPE_INT64 = 2;
    private static final int TYPE_DOUBLE = 5;
    private static final int TYPE_BYTE_ARRAY = 6;
    private static final int CONVERTED_UTF8 = 0;
    private static final int REPETITION_REQUIRED = 0;
    private static final int ENCODING_PLAIN = 0;
    private static final int ENCODING_RLE = 3;
    private static final int CODEC_UNCOMPRESSED = 0;
    private static final int PAGE_DATA = 0;

    private final Path out;
    private final FeatureSchema schema;
    private final Map<String, String> keyValues;
    private final int rowGroupRows;
    private final int stringColumnBytes;
    private final String[] columnNames;

    private OutputStream stream;
    private long position;
    private boolean closed;
    private IOException failure;

    // the row group being buffered
    private int rows;
    private final StringColumn entities = new StringColumn();
    private final StringColumn labels = new StringColumn();
    private final StringColumn eventIds = new StringColumn();
    private long[] timestamps;
    private final double[][] features;

    private long totalRows;
    private final List<RowGroupMeta> rowGroups = new ArrayList<>();
    private byte[] scratch = new byte[64 << 10];

    /** A writer with {@link #DEFAULT_ROW_GROUP_ROWS} rows per row group. */
    public ParquetVectorWriter(Path out, FeatureSchema schema, Map<String, String> metadata) throws IOException {
        this(out, schema, metadata, DEFAULT_ROW_GROUP_ROWS);
    }

    /**
     * Creates (or truncates) {@code out} and writes the file's leading magic.
     *
     * @param metadata written to the footer's key/value metadata, before the schema's name and
     *     version (which win over entries with the same keys); may be null; a null value is written
     *     as a key without value
     * @param rowGroupRows rows buffered in memory before they are written as a row group
     * @throws IllegalArgumentException when a feature's name is empty or is one of the leading
     *     columns' names, or rowGroupRows is not positive
     * @throws IOException naming {@code out} when it cannot be created or written
     */
    public ParquetVectorWriter(Path out, FeatureSchema schema, Map<String, String> metadata, int rowGroupRows)
            throws IOException {
        this(out, schema, metadata, rowGroupRows, DEFAULT_STRING_COLUMN_BYTES);
    }

    ParquetVectorWriter(Path out, FeatureSchema schema, Map<String, String> metadata, int rowGroupRows,
            int stringColumnBytes) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.schema = Objects.requireNonNull(schema, "schema");
        if (rowGroupRows < 1 || rowGroupRows > MAX_ROW_GROUP_ROWS) {
            throw new IllegalArgumentException(
                    "rowGroupRows must be between 1 and " + MAX_ROW_GROUP_ROWS + ", not " + rowGroupRows);
        }
        if (stringColumnBytes < 1 || stringColumnBytes > MAX_STRING_COLUMN_BYTES) {
            throw new IllegalArgumentException(
                    "stringColumnBytes must be between 1 and " + MAX_STRING_COLUMN_BYTES + ", not " + stringColumnBytes);
        }
        this.rowGroupRows = rowGroupRows;
        this.stringColumnBytes = stringColumnBytes;

        List<String> names = new ArrayList<>(LEADING_COLUMNS);
        Set<String> leading = new HashSet<>(LEADING_COLUMNS);
        for (String feature : schema.features()) {
            if (feature == null || feature.isEmpty()) {
                throw new IllegalArgumentException("feature schema " + schema.name() + " has a feature without a name");
            }
            if (leading.contains(feature)) {
                throw new IllegalArgumentException("feature schema " + schema.name() + " names a feature '"
                        + feature + "', which is one of the fixed columns " + LEADING_COLUMNS);
            }
            names.add(feature);
        }
        this.columnNames = names.toArray(String[]::new);

        Map<String, String> kv = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                kv.put(Objects.requireNonNull(e.getKey(), "metadata key"), e.getValue());
            }
        }
        kv.put(SCHEMA_NAME_KEY, schema.name());
        kv.put(SCHEMA_VERSION_KEY, Integer.toString(schema.version()));
        this.keyValues = kv;

        int capacity = Math.min(rowGroupRows, 1024);
        this.timestamps = new long[capacity];
        this.features = new double[schema.size()][capacity];

        try {
            stream = new BufferedOutputStream(Files.newOutputStream(out), 64 << 10);
            emit(MAGIC, 0, MAGIC.length);
        } catch (IOException e) {
            closeQuietly();
            throw failed("cannot create", e);
        }
    }

    /** The file being written. */
    public Path path() {
        return out;
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** Rows given to {@link #write} so far. */
    public long rowCount() {
        return totalRows + rows;
    }

    /**
     * Adds one row; writes a row group when the buffer is full.
     *
     * @param values the features in schema order; copied
     * @throws IllegalArgumentException when {@code values} does not have one value per feature,
     *     entity is null, or a string is longer than 512 MiB in UTF-8
     * @throws IOException naming the file when a row group cannot be written, or the writer is closed
     *     or failed before
     */
    public void write(String entity, long timestampNanos, String label, String eventIds, double[] values)
            throws IOException {
        if (closed) {
            throw new IOException("Parquet file " + out + " is already closed");
        }
        if (failure != null) {
            throw new IOException("Parquet file " + out + " is unusable after an earlier error", failure);
        }
        if (entity == null) {
            throw new IllegalArgumentException("a vector needs an entity");
        }
        if (values == null || values.length != features.length) {
            throw new IllegalArgumentException("feature schema " + schema.name() + " has " + features.length
                    + " features, the vector " + (values == null ? "none" : values.length));
        }
        byte[] entityUtf8 = utf8(entity);
        byte[] labelUtf8 = utf8(label);
        byte[] eventIdsUtf8 = utf8(eventIds);
        if (rows == timestamps.length) {
            grow();
        }
        entities.add(entityUtf8);
        labels.add(labelUtf8);
        this.eventIds.add(eventIdsUtf8);
        timestamps[rows] = timestampNanos;
        for (int f = 0; f < values.length; f++) {
            features[f][rows] = values[f];
        }
        rows++;
        if (rows == rowGroupRows
                || entities.size >= stringColumnBytes
                || labels.size >= stringColumnBytes
                || this.eventIds.size >= stringColumnBytes) {
            try {
                writeRowGroup();
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                throw failed("cannot write a row group to", e);
            }
        }
    }

    /**
     * Writes the buffered rows and the footer, and closes the file. Closing again does nothing.
     *
     * @throws IOException naming the file when it cannot be written, or when an earlier write failed
     *     (the file is then incomplete and not a valid Parquet file)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            closeQuietly();
            throw new IOException("Parquet file " + out + " is incomplete: an earlier write failed", failure);
        }
        try {
            if (rows > 0) {
                writeRowGroup();
            }
            byte[] footer = fileMetaData();
            emit(footer, 0, footer.length);
            byte[] length = new byte[4];
            putIntLE(length, 0, footer.length);
            emit(length, 0, 4);
            emit(MAGIC, 0, MAGIC.length);
            OutputStream s = stream;
            stream = null;
            s.close();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw failed("cannot finish", e);
        } finally {
            releaseBuffers();
        }
    }

    private static byte[] utf8(String value) {
        if (value == null) {
            return new byte[0];
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + utf8.length + " bytes is longer than the "
                    + MAX_STRING_BYTES + " a Parquet vector file takes");
        }
        return utf8;
    }

    private IOException failed(String what, Exception cause) {
        return new IOException(what + " Parquet file " + out + ": " + cause.getMessage(), cause);
    }

    private void closeQuietly() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException suppressed) {
                // the first error is the one reported
            }
            stream = null;
        }
    }

    private void releaseBuffers() {
        entities.release();
        labels.release();
        eventIds.release();
        timestamps = new long[0];
        Arrays.fill(features, null);
        scratch = null;
    }

    private void grow() {
        int capacity = (int) Math.min(rowGroupRows, Math.max(16L, timestamps.length * 2L));
        timestamps = Arrays.copyOf(timestamps, capacity);
        for (int f = 0; f < features.length; f++) {
            features[f] = Arrays.copyOf(features[f], capacity);
        }
    }

    // ---- row groups -------------------------------------------------------------------------------

    private void writeRowGroup() throws IOException {
        List<ChunkMeta> chunks = new ArrayList<>(columnNames.length);
        long start = position;
        chunks.add(writeStringChunk(columnNames[0], entities));
        chunks.add(writeTimestampChunk(columnNames[1]));
        chunks.add(writeStringChunk(columnNames[2], labels));
        chunks.add(writeStringChunk(columnNames[3], eventIds));
        for (int f = 0; f < features.length; f++) {
            chunks.add(writeDoubleChunk(columnNames[LEADING_COLUMNS.size() + f], features[f]));
        }
        long bytes = position - start;
        rowGroups.add(new RowGroupMeta(chunks, rows, start, bytes));
        totalRows += rows;
        rows = 0;
        entities.clear();
        labels.clear();
        eventIds.clear();
    }

    private ChunkMeta writeStringChunk(String name, StringColumn column) throws IOException {
        long offset = writePageHeader(column.size, null);
        emit(column.data, 0, column.size);
        return new ChunkMeta(name, TYPE_BYTE_ARRAY, rows, offset, position - offset, null);
    }

    private ChunkMeta writeTimestampChunk(String name) throws IOException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < rows; i++) {
            min = Math.min(min, timestamps[i]);
            max = Math.max(max, timestamps[i]);
        }
        Stats stats = new Stats(longLE(min), longLE(max), -1);
        long offset = writePageHeader((long) rows * Long.BYTES, stats);
        int perChunk = scratch.length / Long.BYTES;
        for (int i = 0; i < rows; i += perChunk) {
            int n = Math.min(perChunk, rows - i);
            for (int j = 0; j < n; j++) {
                putLongLE(scratch, j * Long.BYTES, timestamps[i + j]);
            }
            emit(scratch, 0, n * Long.BYTES);
        }
        return new ChunkMeta(name, TYPE_INT64, rows, offset, position - offset, stats);
    }

    private ChunkMeta writeDoubleChunk(String name, double[] values) throws IOException {
        Stats stats = doubleStats(values, rows);
        long offset = writePageHeader((long) rows * Double.BYTES, stats);
        int perChunk = scratch.length / Double.BYTES;
        for (int i = 0; i < rows; i += perChunk) {
            int n = Math.min(perChunk, rows - i);
            for (int j = 0; j < n; j++) {
                putLongLE(scratch, j * Double.BYTES, Double.doubleToRawLongBits(values[i + j]));
            }
            emit(scratch, 0, n * Double.BYTES);
        }
        return new ChunkMeta(name, TYPE_DOUBLE, rows, offset, position - offset, stats);
    }

    /**
     * Min and max of the non-NaN values, with -0.0 for a zero minimum and +0.0 for a zero maximum,
     * and the NaN count, as parquet.thrift asks of floating point columns in type-defined order;
     * no min and max when every value is NaN.
     */
    private static Stats doubleStats(double[] values, int count) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long nans = 0;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                nans++;
            } else {
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        if (nans == count) {
            return new Stats(null, null, nans);
        }
        if (min == 0.0) {
            min = -0.0;
        }
        if (max == 0.0) {
            max = 0.0;
        }
        return new Stats(longLE(Double.doubleToRawLongBits(min)), longLE(Double.doubleToRawLongBits(max)), nans);
    }

    /** Writes a DATA_PAGE header for a page of {@code rows} values; returns where it starts. */
    private long writePageHeader(long dataBytes, Stats stats) throws IOException {
        if (dataBytes > Integer.MAX_VALUE) {
            throw new IOException("a page of " + dataBytes + " bytes is larger than Parquet allows");
        }
        CompactProtocol t = new CompactProtocol().beginStruct()
                .i32(1, PAGE_DATA)
                .i32(2, (int) dataBytes) // uncompressed_page_size
                .i32(3, (int) dataBytes) // compressed_page_size
                .beginStruct(5) // data_page_header
                .i32(1, rows) // num_values
                .i32(2, ENCODING_PLAIN)
                .i32(3, ENCODING_RLE) // definition levels: none, the columns are REQUIRED
                .i32(4, ENCODING_RLE); // repetition levels: none
        if (stats != null) {
            writeStatistics(t, 5, stats);
        }
        byte[] header = t.endStruct().endStruct().toByteArray();
        long offset = position;
        emit(header, 0, header.length);
        return offset;
    }

    private static void writeStatistics(CompactProtocol t, int field, Stats stats) {
        t.beginStruct(field).i64(3, 0); // null_count
        if (stats.max != null) {
            t.binary(5, stats.max).binary(6, stats.min); // max_value, min_value
        }
        if (stats.nanCount >= 0) {
            t.i64(9, stats.nanCount);
        }
        t.endStruct();
    }

    // ---- footer -----------------------------------------------------------------------------------

    private byte[] fileMetaData() {
        CompactProtocol t = new CompactProtocol().beginStruct();
        t.i32(1, 1); // version

        t.beginList(2, CompactProtocol.TYPE_STRUCT, columnNames.length + 1); // schema
        t.beginStruct().string(4, "schema").i32(5, columnNames.length).endStruct();
        for (int c = 0; c < columnNames.length; c++) {
            t.beginStruct().i32(1, physicalType(c)).i32(3, REPETITION_REQUIRED).string(4, columnNames[c]);
            if (c == 1) {
                // TIMESTAMP(isAdjustedToUTC = true, unit = NANOS); no converted type exists for nanos
                t.beginStruct(10).beginStruct(8).bool(1, true).beginStruct(2).emptyStruct(3).endStruct()
                        .endStruct().endStruct();
            } else if (c < LEADING_COLUMNS.size()) {
                t.i32(6, CONVERTED_UTF8).beginStruct(10).emptyStruct(1).endStruct(); // STRING
            }
            t.endStruct();
        }

        t.i64(3, totalRows);

        t.beginList(4, CompactProtocol.TYPE_STRUCT, rowGroups.size());
        for (int g = 0; g < rowGroups.size(); g++) {
            RowGroupMeta group = rowGroups.get(g);
            t.beginStruct();
            t.beginList(1, CompactProtocol.TYPE_STRUCT, group.chunks.size());
            for (ChunkMeta chunk : group.chunks) {
                t.beginStruct().i64(2, 0); // file_offset: deprecated, 0 as parquet.thrift asks
                t.beginStruct(3) // meta_data
                        .i32(1, chunk.type)
                        .beginList(2, CompactProtocol.TYPE_I32, 2).i32Element(ENCODING_PLAIN).i32Element(ENCODING_RLE)
                        .beginList(3, CompactProtocol.TYPE_BINARY, 1).stringElement(chunk.name)
                        .i32(4, CODEC_UNCOMPRESSED)
                        .i64(5, chunk.numValues)
                        .i64(6, chunk.bytes) // total_uncompressed_size, header included
                        .i64(7, chunk.bytes) // total_compressed_size
                        .i64(9, chunk.dataPageOffset);
                if (chunk.stats != null) {
                    writeStatistics(t, 12, chunk.stats);
                }
                t.beginList(13, CompactProtocol.TYPE_STRUCT, 1) // encoding_stats
                        .beginStruct().i32(1, PAGE_DATA).i32(2, ENCODING_PLAIN).i32(3, 1).endStruct();
                t.endStruct().endStruct();
            }
            t.i64(2, group.bytes) // total_byte_size
                    .i64(3, group.rows)
                    .i64(5, group.offset) // file_offset
                    .i64(6, group.bytes); // total_compressed_size
            if (g <= Short.MAX_VALUE) {
                t.i16(7, (short) g); // ordinal
            }
            t.endStruct();
        }

        t.beginList(5, CompactProtocol.TYPE_STRUCT, keyValues.size());
        for (Map.Entry<String, String> e : keyValues.entrySet()) {
            t.beginStruct().string(1, e.getKey());
            if (e.getValue() != null) {
                t.string(2, e.getValue());
            }
            t.endStruct();
        }

        t.string(6, CREATED_BY);

        // column_orders: type-defined order for every column, which the statistics follow
        t.beginList(7, CompactProtocol.TYPE_STRUCT, columnNames.length);
        for (int c = 0; c < columnNames.length; c++) {
            t.beginStruct().emptyStruct(1).endStruct();
        }
        return t.endStruct().toByteArray();
    }

    private static int physicalType(int column) {
        if (column == 1) {
            return TYPE_INT64;
        }
        return column < LEADING_COLUMNS.size() ? TYPE_BYTE_ARRAY : TYPE_DOUBLE;
    }

    // ---- bytes ------------------------------------------------------------------------------------

    private void emit(byte[] b, int off, int len) throws IOException {
        stream.write(b, off, len);
        position += len;
    }

    private static byte[] longLE(long v) {
        byte[] b = new byte[8];
        putLongLE(b, 0, v);
        return b;
    }

    private static void putLongLE(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** A string column's page being built: PLAIN BYTE_ARRAY values, each a 4-byte length and UTF-8. */
    private static final class StringColumn {
        byte[] data = new byte[1024];
        int size;

        /** Never overflows: a row group is written once size reaches the writer's string limit (at most
         * {@link #MAX_STRING_COLUMN_BYTES}), and no value is larger than {@link #MAX_STRING_BYTES}. */
        void add(byte[] utf8) {
            int needed = size + 4 + utf8.length;
            if (needed > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, data.length * 2L)));
            }
            putIntLE(data, size, utf8.length);
            System.arraycopy(utf8, 0, data, size + 4, utf8.length);
            size = needed;
        }

        void clear() {
            size = 0;
        }

        void release() {
            data = new byte[0];
            size = 0;
        }
    }

    /** Encoded min/max (null when there is none) and NaN count (-1 when not a floating point column). */
    private record Stats(byte[] min, byte[] max, long nanCount) {}

    private record ChunkMeta(String name, int type, int numValues, long dataPageOffset, long bytes, Stats stats) {}

    private record RowGroupMeta(List<ChunkMeta> chunks, int rows, long offset, long bytes) {}
}
