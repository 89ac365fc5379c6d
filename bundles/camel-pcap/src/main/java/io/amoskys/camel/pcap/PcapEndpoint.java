package io.amoskys.camel.pcap;

import java.nio.file.Path;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code pcap:file:PATH} (a capture file to read or write) or {@code pcap:live:INTERFACE} (libpcap). */
public class PcapEndpoint extends DefaultEndpoint {
    /** The header naming the capture a batch came from. */
    public static final String SOURCE_HEADER = "AmoskysPcapSource";

    private final boolean live;
    private final String target;
    private String filter;
    private int snaplen = 262_144;
    private boolean promiscuous = true;
    private boolean immediate = false;
    private int bufferSize = 16 * 1024 * 1024;
    private int batchSize = 4096;
    private boolean pace;
    private double speed = 1.0;
    private boolean append;

    PcapEndpoint(String uri, PcapComponent component, boolean live, String target) {
        super(uri, component);
        this.live = live;
        this.target = target;
    }

    Path file() {
        return Path.of(target);
    }

    /** The file, or the interface name of a live capture. */
    String target() {
        return target;
    }

    /** Live: a BPF filter in tcpdump's syntax, for example {@code not port 22}. */
    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    /** Live: most bytes kept of each packet. */
    public int getSnaplen() {
        return snaplen;
    }

    public void setSnaplen(int snaplen) {
        if (snaplen < 64 || snaplen > 262_144) {
            throw new IllegalArgumentException("snaplen must be between 64 and 262144, was " + snaplen);
        }
        this.snaplen = snaplen;
    }

    /** Live: see every packet on the wire, not only those addressed to this host. */
    public boolean isPromiscuous() {
        return promiscuous;
    }

    public void setPromiscuous(boolean promiscuous) {
        this.promiscuous = promiscuous;
    }

    /**
     * Live: libpcap's immediate mode (each packet handed over as it arrives, TPACKET_V2). Off by
     * default: blocks (TPACKET_V3) are cheaper, and on a veth pair immediate mode lost about half of
     * a fast nmap scan. The consumer sends a quiet batch itself either way.
     */
    public boolean isImmediate() {
        return immediate;
    }

    public void setImmediate(boolean immediate) {
        this.immediate = immediate;
    }

    /** Live: libpcap's kernel buffer in bytes. */
    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        if (bufferSize < 65_536) {
            throw new IllegalArgumentException("bufferSize must be at least 65536, was " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /** Most packets per message (consumer). */
    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 65_536) {
            throw new IllegalArgumentException("batchSize must be between 1 and 65536, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** Deliver packets at the capture's own timing instead of as fast as possible (consumer). */
    public boolean isPace() {
        return pace;
    }

    public void setPace(boolean pace) {
        this.pace = pace;
    }

    /** With pace: how many times faster than the capture (2.0 replays a minute in 30 s). */
    public double getSpeed() {
        return speed;
    }

    public void setSpeed(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, was " + speed);
        }
        this.speed = speed;
    }

    /** Add to an existing capture file of the same link type instead of replacing it (producer). */
    public boolean isAppend() {
        return append;
    }

    public void setAppend(boolean append) {
        this.append = append;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = live ? new PcapLiveConsumer(this, processor) : new PcapFileConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        if (live) {
            throw new IllegalArgumentException(getEndpointUri() + ": packets can be written to a file, not sent to an interface");
        }
        return new PcapFileProducer(this);
    }
}
