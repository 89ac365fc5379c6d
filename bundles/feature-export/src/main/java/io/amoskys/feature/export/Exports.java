package io.amoskys.feature.export;

import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** What {@code amoskys:features} does, apart from the shell: catalogue and exports. */
public final class Exports {
    private static final int POLL_EVENTS = 4096;

    private final List<FeatureSet> available;
    private final List<String> chain;

    /** @param chain stage names in order, or null for {@link FeatureChain#DEFAULT} */
    public Exports(List<FeatureSet> available, List<String> chain) {
        this.available = List.copyOf(available);
        this.chain = chain == null ? FeatureChain.DEFAULT : List.copyOf(chain);
    }

    public static String markdown(List<FeatureSet> sets) {
        return FeaturesMarkdown.render(sets);
    }

    /** The capture's events, decoded apart from the live stream, through fresh stages into {@code out}. */
    public String fromCapture(CaptureDecoder decoder, Path capture, Path out, String kind, String label) throws IOException {
        try (FeatureExport export = new FeatureExport(FeatureChain.detached(chain, available), kind, label, out,
                Map.of("amoskys.source", capture.getFileName().toString(), "amoskys.stages", String.join(",", chain)))) {
            String decoded = decoder.decode(capture, export::accept);
            return decoded + "; " + export.summary();
        }
    }

    /** The events the bus's log committed between {@code start} and {@code end}, through fresh stages into {@code out}. */
    public String fromLog(EventLog log, Instant start, Instant end, Path out, String kind, String label)
            throws IOException, InterruptedException {
        try (FeatureExport export = new FeatureExport(FeatureChain.detached(chain, available), kind, label, out,
                Map.of("amoskys.source", "bus log " + start + " to " + end, "amoskys.stages", String.join(",", chain)))) {
            return readLog(log, start, end, kind, export::accept) + ": " + export.summary();
        }
    }

    /**
     * The vectors of one kind that a capture's events make through fresh copies of the stages, handed to
     * {@code sink} one at a time and not kept: a caller that trains on them bounds its own memory.
     *
     * @return one line: what the capture amounted to and how many vectors it gave
     */
    public String vectors(CaptureDecoder decoder, Path capture, String kind, Consumer<FeatureVector> sink) throws IOException {
        VectorFeed feed = new VectorFeed(FeatureChain.detached(chain, available), kind, sink);
        String decoded = decoder.decode(capture, feed::accept);
        return decoded + "; " + feed.made() + ", " + feed.skipped();
    }

    /** As {@link #vectors(CaptureDecoder, Path, String, Consumer)}, for the events the bus's log committed from {@code start} to {@code end}. */
    public String vectors(EventLog log, Instant start, Instant end, String kind, Consumer<FeatureVector> sink)
            throws InterruptedException {
        VectorFeed feed = new VectorFeed(FeatureChain.detached(chain, available), kind, sink);
        return readLog(log, start, end, kind, feed::accept) + ": " + feed.made() + ", " + feed.skipped();
    }

    /** @return which offsets were read */
    private static String readLog(EventLog log, Instant start, Instant end, String kind, Consumer<TelemetryEvent> events)
            throws InterruptedException {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("--to " + end + " is before --from " + start);
        }
        long first = log.offsetAt(start);
        long last = log.offsetAt(end) - 1;
        try (Cursor cursor = log.range(first, last, Set.of(kind))) {
            while (!cursor.exhausted()) {
                List<LoggedEvent> batch = cursor.poll(POLL_EVENTS, 1, TimeUnit.SECONDS);
                if (batch.isEmpty()) {
                    break; // the range lies in the past: nothing more will come (retention may have taken some)
                }
                for (LoggedEvent logged : batch) {
                    events.accept(logged.event());
                }
            }
        }
        return "log offsets " + first + " to " + last;
    }
}
