package io.amoskys.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.amoskys.schema.v1.Event;
import java.io.BufferedReader;
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
    private final JsonFormat.Parser parser = JsonFormat.parser();

    JsonLinesSource(InputStream in, PrintStream log, Counters counters) {
        this.in = in;
        this.log = log;
        this.counters = counters;
    }

    @Override
    public void run(Sink sink) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
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
