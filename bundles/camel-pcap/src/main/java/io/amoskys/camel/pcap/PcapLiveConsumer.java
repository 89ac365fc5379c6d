package io.amoskys.camel.pcap;

import io.amoskys.pcap.LiveCaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Processor;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
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
    private static final long FIRST_REOPEN_PAUSE_MILLIS = 100;
    private static final long MAX_REOPEN_PAUSE_MILLIS = 5000;

    private final PcapEndpoint endpoint;
    /** Replaced by the capture thread only; read by a stopping thread to wake it. */
    private volatile PcapHandle handle;
    /** The batch being filled: by the capture thread, and sent by either it or the quiet flusher. */
    private final Object batchLock = new Object();
    private PacketBatch batch;
    private long lastPacketNanos;
    private ScheduledExecutorService quietFlusher;
    /** Counted by the capture thread, read by whichever thread sends a batch. */
    private volatile LiveCaptureStats live = LiveCaptureStats.NONE;
    /** libpcap's drop counters as the open handle last said them: a new handle counts from zero. */
    private long handleKernelDrops;
    private long handleInterfaceDrops;
    /** Ends a pause between attempts to open a failed interface again; one per start of the consumer. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private long reopenPauseMillis = FIRST_REOPEN_PAUSE_MILLIS;

    PcapLiveConsumer(PcapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = new CountDownLatch(1);
        live = LiveCaptureStats.NONE;
        reopenPauseMillis = FIRST_REOPEN_PAUSE_MILLIS;
        handle = open();
        handleKernelDrops = 0;
        handleInterfaceDrops = 0;
        startReading("pcap-live-" + endpoint.target(), this::capture);
        quietFlusher = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "pcap-live-flush-" + endpoint.target());
        quietFlusher.scheduleWithFixedDelay(this::flushQuietBatch, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * libpcap's read blocks in native code, which no interrupt ends, and on a quiet wire it does
     * not return (TPACKET_V3): without this the thread and its capture buffer would outlive the stop.
     */
    @Override
    void wakeReader() {
        stopping.countDown();
        PcapHandle open = handle;
        if (open != null && open.isOpen()) {
            try {
                open.breakLoop();
            } catch (NotOpenException e) {
                // closed meanwhile: nothing to wake
            }
        }
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
        synchronized (batchLock) {
            batch = new PacketBatch(source, endpoint.getBatchSize());
        }
        long flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        try {
            int link = handle.getDlt().value();
            while (running()) {
                byte[] raw;
                try {
                    raw = handle.getNextRawPacketEx();
                } catch (TimeoutException e) {
                    raw = null; // the read timeout, when libpcap keeps it
                } catch (PcapNativeException | EOFException e) {
                    if (!running() || !reopenAfter(e)) {
                        break; // a stop's breakLoop ends the read with EOFException
                    }
                    link = handle.getDlt().value();
                    continue;
                }
                long nanos = raw == null ? 0 : nanos(handle.getTimestamp());
                int original = raw == null ? 0 : handle.getOriginalLength();
                boolean flush = raw == null || System.nanoTime() >= flushAt;
                if (flush) {
                    countDrops();
                }
                synchronized (batchLock) {
                    if (raw != null) {
                        if (!batch.fits(raw.length)) {
                            batch = send(batch, source);
                        }
                        batch.add(link, nanos, original, ByteBuffer.wrap(raw));
                        lastPacketNanos = System.nanoTime();
                        reopenPauseMillis = FIRST_REOPEN_PAUSE_MILLIS;
                    }
                    if (flush) {
                        batch = send(batch, source);
                        flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                    }
                }
            }
        } catch (NotOpenException e) {
            LOG.warn("Capture on {} closed underneath", endpoint.target());
        } finally {
            if (handle.isOpen()) {
                handle.close();
            }
            LOG.info("Capture on {} stopped", endpoint.target());
        }
    }

    /**
     * The interface failed under the capture (removed, gone down: libpcap's read fails from then
     * on, and a Linux packet socket stays bound to the interface that was). Counts and logs it,
     * sends what was read, and opens the interface again after a pause, which doubles from 100 ms
     * to 5 s with each attempt until a packet arrives, so that a failing interface is neither spun
     * on nor logged more than every few seconds.
     *
     * @return false when the route stopped first
     */
    private boolean reopenAfter(Exception failure) {
        // No drop counts from the failed handle: libpcap reads the interface's from /sys, gone with it.
        LiveCaptureStats before = live;
        live = new LiveCaptureStats(before.kernelDrops(), before.interfaceDrops(), before.interfaceFailures() + 1,
                endpoint.target() + ": " + failure.getMessage());
        LOG.warn("Capture on {} failed ({}): opening it again", endpoint.target(), failure.getMessage());
        synchronized (batchLock) {
            batch = send(batch, "live:" + endpoint.target());
        }
        handle.close();
        int attempts = 0;
        while (running()) {
            try {
                if (stopping.await(reopenPauseMillis, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            boolean firstAttempt = attempts++ == 0;
            boolean slowest = reopenPauseMillis < MAX_REOPEN_PAUSE_MILLIS
                    && reopenPauseMillis * 2 >= MAX_REOPEN_PAUSE_MILLIS;
            reopenPauseMillis = Math.min(reopenPauseMillis * 2, MAX_REOPEN_PAUSE_MILLIS);
            try {
                handle = open();
                handleKernelDrops = 0;
                handleInterfaceDrops = 0;
                return true;
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                if (firstAttempt || slowest) {
                    LOG.warn("Capture on {} cannot be opened again yet ({}); trying again every {} ms at most",
                            endpoint.target(), e.getMessage(), MAX_REOPEN_PAUSE_MILLIS);
                } else {
                    LOG.debug("Capture on {} cannot be opened again yet: {}", endpoint.target(), e.getMessage());
                }
            }
        }
        return false;
    }

    /**
     * Adds what libpcap's drop counters of the open handle rose by since it last said them. Their
     * 32 bits wrap, and libpcap derives the interface's from /sys counters that can go back (a NIC
     * reset): a rise that is negative or beyond 2^31 is no count of drops and is left out.
     */
    private void countDrops() {
        PcapStat stat;
        try {
            stat = handle.getStats();
        } catch (PcapNativeException | NotOpenException e) {
            return; // the next read says what is wrong with the handle
        }
        long kernel = stat.getNumPacketsDropped();
        long iface = stat.getNumPacketsDroppedByIf();
        long kernelRise = plausibleRise(kernel - handleKernelDrops);
        long ifaceRise = plausibleRise(iface - handleInterfaceDrops);
        handleKernelDrops = kernel;
        handleInterfaceDrops = iface;
        if (kernelRise > 0 || ifaceRise > 0) {
            LiveCaptureStats now = live;
            live = new LiveCaptureStats(now.kernelDrops() + kernelRise, now.interfaceDrops() + ifaceRise,
                    now.interfaceFailures(), now.lastFailure());
        }
    }

    static long plausibleRise(long rise) {
        return rise < 0 || rise > Integer.MAX_VALUE ? 0 : rise;
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

    /** Sends the batch stamped with the wall clock and the capture's losses so far, and returns a fresh one. */
    private PacketBatch send(PacketBatch batch, String source) {
        batch.clockNanos(System.currentTimeMillis() * 1_000_000L);
        batch.liveStats(live);
        send(batch);
        return new PacketBatch(source, endpoint.getBatchSize());
    }
}
