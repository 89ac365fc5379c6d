package io.amoskys.camel.pcap;

import io.amoskys.pcap.CaptureReader;
import io.amoskys.pcap.CaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the endpoint's capture file once when the route starts, on its own thread, and sends its
 * packets as batches, each waiting for the route (back-pressure); the last batch says the capture
 * ended and carries what reading found. With {@code pace}, packets leave at the capture's own
 * timing divided by {@code speed}.
 */
final class PcapFileConsumer extends BatchConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(PcapFileConsumer.class);
    /** Below this, waiting for a packet's time is not worth sending the batch early. */
    private static final long FLUSH_BEFORE_WAIT_NANOS = 1_000_000;

    /** Ends reading when the route stops. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    private final PcapEndpoint endpoint;

    PcapFileConsumer(PcapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        startReading("pcap-" + endpoint.file().getFileName(), this::readCapture);
    }

    private void readCapture() {
        Path file = endpoint.file();
        String source = file.toAbsolutePath().toString();
        int size = endpoint.getBatchSize();
        PacketBatch[] batch = {new PacketBatch(source, size)};
        long[] firstCapture = {Long.MIN_VALUE};
        long started = System.nanoTime();
        try {
            CaptureStats stats = CaptureReader.read(file, (link, nanos, original, frame) -> {
                if (!running()) {
                    throw new Stopped();
                }
                if (endpoint.isPace()) {
                    if (firstCapture[0] == Long.MIN_VALUE) {
                        firstCapture[0] = nanos;
                    }
                    long due = started + (long) (Math.max(0, nanos - firstCapture[0]) / endpoint.getSpeed());
                    long wait = due - System.nanoTime();
                    if (wait > FLUSH_BEFORE_WAIT_NANOS && batch[0].size() > 0) {
                        send(batch[0]);
                        batch[0] = new PacketBatch(source, size);
                    }
                    while (running() && (wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait); // the capture's own timing, not polling
                    }
                }
                if (!batch[0].fits(frame.remaining())) {
                    send(batch[0]);
                    batch[0] = new PacketBatch(source, size);
                }
                batch[0].add(link, nanos, original, frame);
            });
            batch[0].endOfCapture(stats);
            send(batch[0]);
            if (stats.errorCount() > 0) {
                LOG.warn("Capture {} read with damage: {}; first of each: {}", file, stats, stats.firstMessages());
            } else {
                LOG.info("Capture {} read: {}", file, stats);
            }
        } catch (Stopped e) {
            LOG.info("Reading capture {} stopped with its route", file);
        } catch (IOException e) {
            getExceptionHandler().handleException("Cannot read capture file " + file + ": " + e.getMessage(), e);
        }
    }
}
