package io.amoskys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.v1.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON lines on standard input: a line too long for any event costs itself only, and memory stays bounded. */
class JsonLinesSourceTest {
    private static final String EVENT = "{\"entityId\":\"sensor-1\",\"kind\":\"iot\",\"timestampNs\":\"1700000000000000000\","
            + "\"eventSequence\":\"%d\",\"iot\":{\"sensor\":\"sensor-1\",\"value\":21.5,\"unit\":\"Cel\"}}";

    @Test
    void aLineLongerThanAnyEventIsSkippedCountedAndNamedAndTheNextOneRead() throws Exception {
        String input = EVENT.formatted(1) + "\n" + "{\"entityId\":\"" + "x".repeat(50_000) + "\"}\r\n" + EVENT.formatted(3) + "\r\n";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Counters counters = new Counters();
        List<Event> events = new ArrayList<>();
        new JsonLinesSource(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(log, true, StandardCharsets.UTF_8), counters, 4096).run(events::add);

        assertEquals(List.of(1L, 3L), events.stream().map(Event::getEventSequence).toList());
        assertEquals(1, counters.badInput());
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("stdin line 2 is longer than 4096 characters: skipped"), said);
    }

    @Test
    void linesEndAtNewlinesWithOrWithoutCarriageReturnsAndTheLastNeedsNone() throws Exception {
        BoundedLineReader lines = new BoundedLineReader(new StringReader("a\r\n\nbc\ndef"), 2);
        assertEquals("a", lines.next());
        assertEquals("", lines.next());
        assertEquals("bc", lines.next());
        assertEquals("de", lines.next());
        assertTrue(lines.tooLong(), "def is longer than 2");
        assertNull(lines.next());
    }
}
