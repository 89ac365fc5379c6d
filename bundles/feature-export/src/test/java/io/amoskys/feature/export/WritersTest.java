package io.amoskys.feature.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritersTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("flow:canonical.1", 1, List.of("a", "b"));

    @TempDir
    Path dir;

    @Test
    void csvQuotesWhatNeedsItAndKeepsDoublesExact() throws Exception {
        Path file = dir.resolve("v.csv");
        double tricky = 0.1 + 0.2;
        try (VectorWriter w = new CsvVectorWriter(file, SCHEMA)) {
            w.write(new VectorRow("host:1,2", 5, "say \"hi\"", "a:1;a:2", new double[] {tricky, Double.NaN}));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("# amoskys feature schema flow:canonical.1 version 1", lines.get(0));
        assertEquals("entity,timestamp_ns,label,event_ids,a,b", lines.get(1));
        assertEquals("\"host:1,2\",5,\"say \"\"hi\"\"\",a:1;a:2," + tricky + ",", lines.get(2));
        assertEquals(tricky, Double.parseDouble(lines.get(2).split(",")[5]));
    }

    @Test
    void jsonLinesStartWithTheSchemaAndEscapeStrings() throws Exception {
        Path file = dir.resolve("v.jsonl");
        try (VectorWriter w = new JsonLinesVectorWriter(file, SCHEMA)) {
            w.write(new VectorRow("h\"1\n", 7, "", "x:1", new double[] {1.5, Double.POSITIVE_INFINITY}));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("{\"amoskys_schema\":\"flow:canonical.1\",\"version\":1,\"features\":[\"a\",\"b\"]}", lines.get(0));
        assertEquals("{\"entity\":\"h\\\"1\\n\",\"timestamp_ns\":7,\"label\":\"\",\"event_ids\":\"x:1\",\"a\":1.5,\"b\":null}", lines.get(1));
    }

    @Test
    void anUnknownExtensionIsRefusedBeforeAnyWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorFiles.format(dir.resolve("v.xlsx")));
        assertTrue(e.getMessage().contains("name it .csv, .jsonl or .parquet"), e.getMessage());
    }

    @Test
    void refusedEventsAndVectorsOfAnotherSchemaAreCountedAndTheExportGoesOn() throws Exception {
        FeatureSchema other = new FeatureSchema("flow:canonical.2", 1, List.of("a", "b"));
        int[] calls = {0};
        FeatureChain chain = new FeatureChain(List.of((event, current) -> {
            if (event.metrics().containsKey("bad")) {
                throw new IllegalArgumentException("bad metric");
            }
            return new FeatureVector(calls[0]++ == 0 ? SCHEMA : other, "e", 1, new double[] {1, 2}, List.of(event.id()));
        }));
        Path file = dir.resolve("v.csv");
        try (FeatureExport export = new FeatureExport(chain, "flow", "", file, Map.of())) {
            export.accept(event("flow", 1).metric("bad", 1).build());
            export.accept(event("dns", 2).build());
            export.accept(event("flow", 3).build());
            export.accept(event("flow", 4).build());
            assertEquals("4 events, 1 flow vectors to " + file + " (schema flow:canonical.1), 1 of other kinds, 2 refused "
                    + "{IllegalArgumentException=1, other schema flow:canonical.2=1}", export.summary());
        }
    }

    private static TelemetryEvent.Builder event(String kind, long seq) {
        return TelemetryEvent.builder().agentId("a").sequence(seq).entityId("e").kind(kind).timestampNanos(seq);
    }
}
