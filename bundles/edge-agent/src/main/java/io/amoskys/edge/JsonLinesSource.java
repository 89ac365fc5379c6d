package io.amoskys.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.amoskys.schema.v1.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Events as JSON lines, each an {@code amoskys.v1.Event} in protobuf's JSON form. A line that is
 * not one is reported with its number and counted; the rest goes on. Blank lines are skipped.
 */
final class JsonLinesSource implements EventSource {
    private final InputStream in;
    private final PrintStream log;
    private final Counters counters;
    private final int maxLineChars;
    private final JsonFormat.Parser parser = JsonFormat.parser();

    /** @param maxLineChars longest line kept: a longer one is skipped and counted, as no event fits it */
    JsonLinesSource(InputStream in, PrintStream log, Counters counters, int maxLineChars) {
        this.in = in;
        this.log = log;
        this.counters = counters;
        this.maxLineChars = maxLineChars;
    }

    @Override
    public void run(Sink sink) throws IOException {
        BoundedLineReader lines = new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), maxLineChars);
        long number = 0;
        for (String line = lines.next(); line != null; line = lines.next()) {
            number++;
            if (lines.tooLong()) {
                counters.badInput.incrementAndGet();
                log.println("edge-agent: stdin line " + number + " is longer than " + maxLineChars + " characters: skipped");
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            Event.Builder event = Event.newBuilder();
            try {
                parser.merge(line, event);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                counters.badInput.incrementAndGet();
                log.println("edge-agent: stdin line " + number + " is not an amoskys.v1.Event in JSON: " + e.getMessage());
                continue;
            }
            sink.accept(event.build());
        }
    }
}
