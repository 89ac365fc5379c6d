package io.amoskys.camel.pcap;

import io.amoskys.pcap.PacketBatch;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures from a network interface through libpcap: opens it when the route starts (so a missing
 * interface, missing privileges or a bad filter fail the start with libpcap's own words), then
 * sends batches as they fill, and at least every {@value #FLUSH_MILLIS} ms, stamped with the wall
 * clock so that flows can end while the wire is quiet.
 */
final class PcapLiveConsumer extends BatchConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(PcapLiveConsumer.class);
    static final int FLUSH_MILLIS = 200;

    private final PcapEndpoint endpoint;
    private PcapHandle handle;
    /** The batch being filled: by the capture thread, and sent by either it or the quiet flusher. */
    private final Object batchLock = new Object();
    private PacketBatch batch;
    private long lastPacketNanos;
    private ScheduledExecutorService quietFlusher;

    PcapLiveConsumer(PcapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        handle = open();
        startReading("pcap-live-" + endpoint.target(), this::capture);
        quietFlusher = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "pcap-live-flush-" + endpoint.target());
        quietFlusher.scheduleWithFixedDelay(this::flushQuietBatch, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (quietFlusher != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(quietFlusher);
        }
        super.doStop();
    }

    private PcapHandle open() throws PcapNativeException, NotOpenException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // pcap4j finds its packet factory through ServiceLoader on the context class loader.
        Thread.currentThread().setContextClassLoader(PcapLiveConsumer.class.getClassLoader());
        try {
            PcapHandle opened = new PcapHandle.Builder(endpoint.target())
                    .snaplen(endpoint.getSnaplen())
                    .promiscuousMode(endpoint.isPromiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .bufferSize(endpoint.getBufferSize())
                    .immediateMode(endpoint.isImmediate())
                    .timeoutMillis(FLUSH_MILLIS / 2)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
            if (endpoint.getFilter() != null && !endpoint.getFilter().isBlank()) {
                try {
                    opened.setFilter(endpoint.getFilter(), BpfProgram.BpfCompileMode.OPTIMIZE);
                } catch (PcapNativeException e) {
                    opened.close();
                    throw new IllegalArgumentException("capture filter '" + endpoint.getFilter() + "' on "
                            + endpoint.target() + ": " + e.getMessage(), e);
                }
            }
            LOG.info("Capturing on {} (link type {}, filter '{}')", endpoint.target(), opened.getDlt(), endpoint.getFilter());
            return opened;
        } catch (PcapNativeException e) {
            throw new IllegalStateException("cannot capture on " + endpoint.target() + ": " + e.getMessage()
                    + " (live capture needs libpcap and the CAP_NET_RAW privilege)", e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void capture() {
        String source = "live:" + endpoint.target();
        int link = handle.getDlt().value();
        synchronized (batchLock) {
            batch = new PacketBatch(source, endpoint.getBatchSize());
        }
        long flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        try {
            while (running()) {
                byte[] raw = handle.getNextRawPacket(); // null after the read timeout, when libpcap keeps it
                long nanos = raw == null ? 0 : nanos(handle.getTimestamp());
                int original = raw == null ? 0 : handle.getOriginalLength();
                synchronized (batchLock) {
                    if (raw != null) {
                        if (!batch.fits(raw.length)) {
                            batch = send(batch, source);
                        }
                        batch.add(link, nanos, original, ByteBuffer.wrap(raw));
                        lastPacketNanos = System.nanoTime();
                    }
                    if (raw == null || System.nanoTime() >= flushAt) {
                        batch = send(batch, source);
                        flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                    }
                }
            }
        } catch (NotOpenException e) {
            LOG.warn("Capture on {} closed underneath", endpoint.target());
        } finally {
            handle.close();
            LOG.info("Capture on {} stopped", endpoint.target());
        }
    }

    /**
     * On a quiet wire libpcap's read may not return until the next packet (its read timeout is not
     * always honoured), and the packets already read would wait in the batch with it, holding back
     * the end of a scan. This sends a batch whose last packet is older than half the flush time.
     */
    private void flushQuietBatch() {
        try {
            synchronized (batchLock) {
                if (batch != null && batch.size() > 0
                        && System.nanoTime() - lastPacketNanos >= TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS / 2)) {
                    batch = send(batch, "live:" + endpoint.target());
                }
            }
        } catch (RuntimeException e) {
            // A task that throws is never run again: the next tick tries again.
            LOG.warn("Could not send the quiet capture's last packets on {}", endpoint.target(), e);
        }
    }

    private static long nanos(Timestamp timestamp) {
        return timestamp.getTime() / 1000 * 1_000_000_000L + timestamp.getNanos();
    }

    /** Sends the batch stamped with the wall clock, and returns a fresh one. */
    private PacketBatch send(PacketBatch batch, String source) {
        batch.clockNanos(System.currentTimeMillis() * 1_000_000L);
        send(batch);
        return new PacketBatch(source, endpoint.getBatchSize());
    }
}
