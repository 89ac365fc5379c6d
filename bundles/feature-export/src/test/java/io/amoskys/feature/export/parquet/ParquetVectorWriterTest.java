package io.amoskys.feature.export.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.event.FeatureSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes files with {@link ParquetVectorWriter} and reads them back with Apache Parquet's own
 * reader (parquet-hadoop's {@link ParquetFileReader} and {@link GroupReadSupport}), so the checks
 * do not depend on this package's understanding of the format.
 */
class ParquetVectorWriterTest {
    private static final String[] STRINGS = {
        "", "host-1", "10.0.0.7:443", "ünïcödé", "日本語のホスト", "emoji 🛰️👩‍💻", "tab\tnew\nline", "nul\0byte",
        "Ελληνικά", "עברית", "a\u0301", "x".repeat(300),
    };

    @TempDir
    Path dir;

    /** One exported row as the test wrote it. */
    private record Row(String entity, long timestamp, String label, String eventIds, double[] values) {}

    @Test
    void threeFeaturesReadBackBitExact() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.basic", 3, List.of("bytes_per_s", "pkt.count", "ratio"));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("amoskys.export.source", "capture smb-2024.pcap");
        metadata.put("amoskys.export.label", "bénin ✓");
        metadata.put("empty", "");
        List<Row> rows = randomRows(new Random(42), schema.size(), 1000);
        Path file = write(schema, metadata, ParquetVectorWriter.DEFAULT_ROW_GROUP_ROWS, rows);

        ParquetMetadata footer = footer(file);
        MessageType type = footer.getFileMetaData().getSchema();
        assertSchema(schema, type);
        Map<String, String> expected = new LinkedHashMap<>(metadata);
        expected.put("amoskys.schema.name", "flow.basic");
        expected.put("amoskys.schema.version", "3");
        assertEquals(expected, footer.getFileMetaData().getKeyValueMetaData());
        assertEquals("amoskys feature export", footer.getFileMetaData().getCreatedBy());
        assertEquals(1, footer.getBlocks().size());
        BlockMetaData block = footer.getBlocks().get(0);
        assertEquals(1000, block.getRowCount());
        for (ColumnChunkMetaData column : block.getColumns()) {
            assertEquals(CompressionCodecName.UNCOMPRESSED, column.getCodec());
            assertEquals(1000, column.getValueCount());
            assertTrue(column.getEncodings().contains(Encoding.PLAIN), column.getEncodings().toString());
            assertFalse(column.hasDictionaryPage());
            assertEquals(column.getTotalSize(), column.getTotalUncompressedSize());
        }

        assertRows(rows, readWithColumnIo(file));
        assertRows(rows, readWithGroupReadSupport(file));
        assertStatistics(rows, block, schema.size());
    }

    @Test
    void severalRowGroups() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.groups", 1, List.of("a", "b", "c", "d"));
        List<Row> rows = randomRows(new Random(7), schema.size(), 1050);
        Path file = write(schema, Map.of(), 100, rows);

        ParquetMetadata footer = footer(file);
        List<BlockMetaData> blocks = footer.getBlocks();
        assertEquals(11, blocks.size());
        long previousEnd = 4; // after "PAR1"
        for (int g = 0; g < blocks.size(); g++) {
            BlockMetaData block = blocks.get(g);
            assertEquals(g < 10 ? 100 : 50, block.getRowCount(), "rows of row group " + g);
            assertEquals(previousEnd, block.getStartingPos(), "start of row group " + g);
            previousEnd = block.getStartingPos() + block.getCompressedSize();
            assertEquals(block.getColumns().stream().mapToLong(ColumnChunkMetaData::getTotalSize).sum(),
                    block.getCompressedSize());
            assertEquals(g, block.getOrdinal());
            assertStatistics(rows.subList(g * 100, Math.min(rows.size(), g * 100 + 100)), block, schema.size());
        }
        assertEquals(1050, blocks.stream().mapToLong(BlockMetaData::getRowCount).sum());
        assertRows(rows, readWithColumnIo(file));
        assertRows(rows, readWithGroupReadSupport(file));
    }

    @Test
    void zeroRowsIsAValidFile() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.none", 2, List.of("x", "y"));
        Path file = write(schema, Map.of("k", "v"), 10, List.of());

        ParquetMetadata footer = footer(file);
        assertSchema(schema, footer.getFileMetaData().getSchema());
        assertEquals(0, footer.getBlocks().size());
        assertEquals(Map.of("k", "v", "amoskys.schema.name", "flow.none", "amoskys.schema.version", "2"),
                footer.getFileMetaData().getKeyValueMetaData());
        try (ParquetFileReader reader = open(file)) {
            assertEquals(0, reader.getRecordCount());
            assertNull(reader.readNextRowGroup());
        }
        assertEquals(List.of(), readWithGroupReadSupport(file));
    }

    @Test
    void realisticExportOf120FeaturesAnd10kRows() throws IOException {
        List<String> names = IntStream.range(0, 120).mapToObj(i -> "feature_" + i + (i % 3 == 0 ? ".mean" : ""))
                .toList();
        FeatureSchema schema = new FeatureSchema("flow.full", 7, names);
        List<Row> rows = randomRows(new Random(120), schema.size(), 10_000);
        Path file = write(schema, Map.of("amoskys.export.window", "PT5M"), 4096, rows);

        ParquetMetadata footer = footer(file);
        assertSchema(schema, footer.getFileMetaData().getSchema());
        assertEquals(List.of(4096L, 4096L, 1808L),
                footer.getBlocks().stream().map(BlockMetaData::getRowCount).toList());
        assertEquals("flow.full", footer.getFileMetaData().getKeyValueMetaData().get("amoskys.schema.name"));
        assertRows(rows, readWithColumnIo(file));
        // every feature value costs 8 bytes plus little overhead: no hidden duplication
        long featureBytes = 10_000L * 120 * 8;
        assertTrue(Files.size(file) > featureBytes && Files.size(file) < featureBytes * 1.2, "size " + Files.size(file));
    }

    @Test
    void specialDoublesAndTheirStatistics() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.special", 1, List.of("zeros", "nans", "mixed", "inf"));
        double nanWithPayload = Double.longBitsToDouble(0x7ff0_0000_dead_beefL);
        List<Row> rows = List.of(
                new Row("e", 1, "", "", new double[] {0.0, Double.NaN, nanWithPayload, Double.NEGATIVE_INFINITY}),
                new Row("e", 2, "", "", new double[] {-0.0, nanWithPayload, 5.0, Double.MIN_VALUE}),
                new Row("e", 3, "", "", new double[] {0.0, Double.NaN, -3.5, Double.POSITIVE_INFINITY}));
        Path file = write(schema, Map.of(), 10, rows);

        assertRows(rows, readWithColumnIo(file));
        List<ColumnChunkMetaData> columns = footer(file).getBlocks().get(0).getColumns();
        Statistics<?> zeros = columns.get(4).getStatistics();
        assertEquals(0, zeros.getNumNulls());
        assertEquals(0.0, (Double) zeros.genericGetMin(), 0.0); // -0.0 and +0.0 compare equal here
        assertEquals(0.0, (Double) zeros.genericGetMax(), 0.0);
        // parquet.thrift: a zero minimum is written as -0.0, a zero maximum as +0.0
        org.apache.parquet.format.Statistics rawZeros = rawFooter(file).getRow_groups().get(0).getColumns().get(4)
                .getMeta_data().getStatistics();
        assertEquals(Double.doubleToRawLongBits(-0.0), littleEndianLong(rawZeros.getMin_value()));
        assertEquals(Double.doubleToRawLongBits(0.0), littleEndianLong(rawZeros.getMax_value()));
        assertFalse(columns.get(5).getStatistics().hasNonNullValue(), "no min/max for an all-NaN column");
        Statistics<?> mixed = columns.get(6).getStatistics();
        assertEquals(-3.5, (Double) mixed.genericGetMin());
        assertEquals(5.0, (Double) mixed.genericGetMax());
        Statistics<?> inf = columns.get(7).getStatistics();
        assertEquals(Double.NEGATIVE_INFINITY, (Double) inf.genericGetMin());
        assertEquals(Double.POSITIVE_INFINITY, (Double) inf.genericGetMax());
        Statistics<?> timestamps = columns.get(1).getStatistics();
        assertEquals(1L, timestamps.genericGetMin());
        assertEquals(3L, timestamps.genericGetMax());
    }

    @Test
    void pageHeadersDecodeWithParquetsThriftClasses() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.pages", 1, List.of("v"));
        List<Row> rows = randomRows(new Random(3), 1, 20);
        Path file = write(schema, Map.of(), 100, rows);
        for (ColumnChunkMetaData column : footer(file).getBlocks().get(0).getColumns()) {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(column.getFirstDataPageOffset());
                PageHeader header = Util.readPageHeader(in);
                assertEquals(PageType.DATA_PAGE, header.getType());
                assertEquals(20, header.getData_page_header().getNum_values());
                assertEquals(org.apache.parquet.format.Encoding.PLAIN, header.getData_page_header().getEncoding());
                assertEquals(header.getUncompressed_page_size(), header.getCompressed_page_size());
                int headerSize = (int) (column.getTotalSize() - header.getCompressed_page_size());
                assertTrue(headerSize > 0 && headerSize < 100, "header size " + headerSize);
            }
        }
        org.apache.parquet.format.FileMetaData raw = rawFooter(file);
        assertEquals(1, raw.getVersion());
        assertEquals(20, raw.getNum_rows());
        assertEquals(6, raw.getSchema().size());
        assertEquals(5, raw.getSchema().get(0).getNum_children());
        assertEquals(5, raw.getColumn_orders().size());
        assertEquals(0, raw.getRow_groups().get(0).getColumns().get(0).getFile_offset());
    }

    @Test
    void longStringsStartANewRowGroupEarly() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.long", 1, List.of("v"));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(new Row("e" + i, i, "", "id-".repeat(100) + i, new double[] {i}));
        }
        Path file = dir.resolve("long.parquet");
        try (ParquetVectorWriter writer = new ParquetVectorWriter(file, schema, Map.of(), 1000, 1000)) {
            for (Row r : rows) {
                writer.write(r.entity, r.timestamp, r.label, r.eventIds, r.values);
            }
        }
        List<BlockMetaData> blocks = footer(file).getBlocks();
        assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L, 4L, 2L), blocks.stream().map(BlockMetaData::getRowCount).toList());
        assertRows(rows, readWithColumnIo(file));
    }

    @Test
    void nullLabelAndEventIdsAreEmpty() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.nulls", 1, List.of("v"));
        Path file = dir.resolve("nulls.parquet");
        try (ParquetVectorWriter writer = new ParquetVectorWriter(file, schema, null)) {
            writer.write("e", 5, null, null, new double[] {1});
        }
        assertRows(List.of(new Row("e", 5, "", "", new double[] {1})), readWithColumnIo(file));
        assertEquals(Map.of("amoskys.schema.name", "flow.nulls", "amoskys.schema.version", "1"),
                footer(file).getFileMetaData().getKeyValueMetaData());
    }

    @Test
    void closingTwiceIsFineAndWritingAfterCloseFails() throws IOException {
        FeatureSchema schema = new FeatureSchema("flow.close", 1, List.of("v"));
        Path file = dir.resolve("close.parquet");
        ParquetVectorWriter writer = new ParquetVectorWriter(file, schema, Map.of());
        writer.write("e", 1, "l", "1,2", new double[] {0.5});
        writer.close();
        long size = Files.size(file);
        assertDoesNotThrow(writer::close);
        assertEquals(size, Files.size(file));
        IOException e = assertThrows(IOException.class, () -> writer.write("e", 2, "", "", new double[] {1}));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(1, readWithColumnIo(file).size());
    }

    @Test
    void ioErrorsNameTheFile() {
        FeatureSchema schema = new FeatureSchema("flow.io", 1, List.of("v"));
        Path file = dir.resolve("no-such-dir").resolve("x.parquet");
        IOException e = assertThrows(IOException.class, () -> new ParquetVectorWriter(file, schema, Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** /dev/full takes the open but fails every write that reaches it, as a full disk would. */
    @Test
    void writeErrorsPropagateNamingTheFileAndCloseReportsTheFileIncomplete() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs a writable /dev/full");
        FeatureSchema schema = new FeatureSchema("flow.full_disk", 1, List.of("v"));
        ParquetVectorWriter writer = new ParquetVectorWriter(full, schema, Map.of(), 10);
        IOException failure = null;
        for (int i = 0; i < 10_000 && failure == null; i++) {
            try {
                writer.write("entity-" + i, i, "label", "x".repeat(1000), new double[] {i});
            } catch (IOException e) {
                failure = e;
            }
        }
        assertNotNull(failure, "writing 10 MB to /dev/full never failed");
        assertTrue(failure.getMessage().contains(full.toString()), failure.getMessage());
        IOException later = assertThrows(IOException.class, () -> writer.write("e", 1, "", "", new double[] {1}));
        assertTrue(later.getMessage().contains(full.toString()), later.getMessage());
        IOException onClose = assertThrows(IOException.class, writer::close);
        assertTrue(onClose.getMessage().contains(full.toString()) && onClose.getMessage().contains("incomplete"),
                onClose.getMessage());
        assertDoesNotThrow(writer::close);
    }

    @Test
    void rejectsBadInput() throws IOException {
        Path file = dir.resolve("bad.parquet");
        FeatureSchema clash = new FeatureSchema("flow.clash", 1, List.of("v", "label"));
        assertThrows(IllegalArgumentException.class, () -> new ParquetVectorWriter(file, clash, Map.of()));
        FeatureSchema schema = new FeatureSchema("flow.bad", 1, List.of("v", "w"));
        assertThrows(IllegalArgumentException.class, () -> new ParquetVectorWriter(file, schema, Map.of(), 0));
        try (ParquetVectorWriter writer = new ParquetVectorWriter(file, schema, Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> writer.write("e", 1, "", "", new double[] {1}));
            assertThrows(IllegalArgumentException.class, () -> writer.write(null, 1, "", "", new double[] {1, 2}));
            writer.write("e", 1, "", "", new double[] {1, 2});
        }
        assertEquals(1, readWithColumnIo(file).size(), "a rejected row leaves nothing behind");
    }

    /** The adapter in io.amoskys.feature.export is package-private; reach it the way its callers will. */
    @Test
    void packageAdapterWritesVectorRows() throws Exception {
        Class<?> writers = Class.forName("io.amoskys.feature.export.ParquetWriters");
        Class<?> rowType = Class.forName("io.amoskys.feature.export.VectorRow");
        Class<?> writerType = Class.forName("io.amoskys.feature.export.VectorWriter");
        Method open = writers.getDeclaredMethod("open", Path.class, FeatureSchema.class, Map.class);
        open.setAccessible(true);
        Constructor<?> newRow = rowType.getDeclaredConstructor(String.class, long.class, String.class, String.class,
                double[].class);
        newRow.setAccessible(true);
        Method write = writerType.getDeclaredMethod("write", rowType);
        write.setAccessible(true);

        FeatureSchema schema = new FeatureSchema("flow.adapter", 4, List.of("v"));
        Path file = dir.resolve("adapter.parquet");
        List<Row> rows = randomRows(new Random(4), 1, 10);
        try (AutoCloseable writer = (AutoCloseable) open.invoke(null, file, schema, Map.of("m", "1"))) {
            for (Row r : rows) {
                write.invoke(writer, newRow.newInstance(r.entity, r.timestamp, r.label, r.eventIds, r.values));
            }
        }
        assertRows(rows, readWithColumnIo(file));
        assertEquals("4", footer(file).getFileMetaData().getKeyValueMetaData().get("amoskys.schema.version"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private Path write(FeatureSchema schema, Map<String, String> metadata, int rowGroupRows, List<Row> rows)
            throws IOException {
        Path file = dir.resolve(schema.name() + ".parquet");
        try (ParquetVectorWriter writer = new ParquetVectorWriter(file, schema, metadata, rowGroupRows)) {
            for (Row r : rows) {
                writer.write(r.entity, r.timestamp, r.label, r.eventIds, r.values);
            }
            assertEquals(rows.size(), writer.rowCount());
        }
        return file;
    }

    /** Mostly ordinary measurements, and some values from random bits: NaNs with payloads, subnormals. */
    private static List<Row> randomRows(Random random, int features, int count) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] values = new double[features];
            for (int f = 0; f < features; f++) {
                values[f] = switch (random.nextInt(8)) {
                    case 0 -> Double.longBitsToDouble(random.nextLong());
                    case 1 -> random.nextInt(1000);
                    default -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
                };
            }
            long timestamp = switch (i) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> -1;
                default -> 1_700_000_000_000_000_000L + random.nextLong(1_000_000_000_000L);
            };
            rows.add(new Row(STRINGS[random.nextInt(STRINGS.length)] + "#" + i, timestamp,
                    STRINGS[random.nextInt(STRINGS.length)], STRINGS[random.nextInt(STRINGS.length)] + "," + i,
                    values));
        }
        return rows;
    }

    /** The footer as parquet-format's Thrift classes decode it, after checking the magic at both ends. */
    private static org.apache.parquet.format.FileMetaData rawFooter(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("PAR1", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII));
        int footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(
                new ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength));
    }

    private static long littleEndianLong(byte[] bytes) {
        assertEquals(8, bytes.length);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    private static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            return reader.getFooter();
        }
    }

    /** Row group by row group, through parquet-column's record assembly. */
    private static List<Group> readWithColumnIo(Path file) throws IOException {
        List<Group> groups = new ArrayList<>();
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    groups.add(records.read());
                }
            }
        }
        return groups;
    }

    /** Through the high-level ParquetReader with parquet-hadoop's example GroupReadSupport. */
    private static List<Group> readWithGroupReadSupport(Path file) throws IOException {
        List<Group> groups = new ArrayList<>();
        try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        }.build()) {
            Group g;
            while ((g = reader.read()) != null) {
                groups.add(g);
            }
        }
        return groups;
    }

    private static void assertSchema(FeatureSchema schema, MessageType type) {
        List<Type> fields = type.getFields();
        assertEquals(4 + schema.size(), fields.size());
        List<String> names = new ArrayList<>(List.of("entity", "timestamp_ns", "label", "event_ids"));
        names.addAll(schema.features());
        assertEquals(names, fields.stream().map(Type::getName).toList());
        for (int i = 0; i < fields.size(); i++) {
            PrimitiveType field = fields.get(i).asPrimitiveType();
            assertEquals(Type.Repetition.REQUIRED, field.getRepetition(), field.getName());
            if (i == 1) {
                assertEquals(PrimitiveTypeName.INT64, field.getPrimitiveTypeName());
                assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.NANOS),
                        field.getLogicalTypeAnnotation());
            } else if (i < 4) {
                assertEquals(PrimitiveTypeName.BINARY, field.getPrimitiveTypeName(), field.getName());
                assertEquals(LogicalTypeAnnotation.stringType(), field.getLogicalTypeAnnotation(), field.getName());
            } else {
                assertEquals(PrimitiveTypeName.DOUBLE, field.getPrimitiveTypeName(), field.getName());
                assertNull(field.getLogicalTypeAnnotation(), field.getName());
            }
        }
    }

    private static void assertRows(List<Row> expected, List<Group> actual) {
        assertEquals(expected.size(), actual.size(), "rows");
        for (int i = 0; i < expected.size(); i++) {
            Row want = expected.get(i);
            Group got = actual.get(i);
            assertEquals(want.entity, got.getString("entity", 0), "entity of row " + i);
            assertEquals(want.timestamp, got.getLong("timestamp_ns", 0), "timestamp of row " + i);
            assertEquals(want.label, got.getString("label", 0), "label of row " + i);
            assertEquals(want.eventIds, got.getString("event_ids", 0), "event_ids of row " + i);
            long[] wantBits = Arrays.stream(want.values).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] gotBits = IntStream.range(0, want.values.length)
                    .mapToLong(f -> Double.doubleToRawLongBits(got.getDouble(4 + f, 0)))
                    .toArray();
            assertArrayEquals(wantBits, gotBits, "feature bits of row " + i);
        }
    }

    /** Min and max of each feature column as Parquet reports them, against the data written. */
    private static void assertStatistics(List<Row> rows, BlockMetaData block, int features) {
        for (int f = 0; f < features; f++) {
            int column = f;
            double[] values = rows.stream().mapToDouble(r -> r.values[column]).filter(v -> !Double.isNaN(v)).toArray();
            Statistics<?> stats = block.getColumns().get(4 + f).getStatistics();
            assertNotNull(stats);
            assertEquals(0, stats.getNumNulls());
            assertEquals(Arrays.stream(values).min().orElseThrow(), (Double) stats.genericGetMin(), 0.0);
            assertEquals(Arrays.stream(values).max().orElseThrow(), (Double) stats.genericGetMax(), 0.0);
        }
        long minTime = rows.stream().mapToLong(Row::timestamp).min().orElseThrow();
        long maxTime = rows.stream().mapToLong(Row::timestamp).max().orElseThrow();
        Statistics<?> times = block.getColumns().get(1).getStatistics();
        assertEquals(minTime, times.genericGetMin());
        assertEquals(maxTime, times.genericGetMax());
    }
}
