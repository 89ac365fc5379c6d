package io.amoskys.camel.pcap;

import java.nio.file.Path;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code pcap:file:PATH[?options]}: a capture file to read from or write to. */
public class PcapEndpoint extends DefaultEndpoint {
    /** The header naming the capture a batch came from. */
    public static final String SOURCE_HEADER = "AmoskysPcapSource";

    private final Path file;
    private int batchSize = 4096;
    private boolean pace;
    private double speed = 1.0;
    private boolean append;

    PcapEndpoint(String uri, PcapComponent component, String path) {
        super(uri, component);
        this.file = Path.of(path);
    }

    Path file() {
        return file;
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
        Consumer consumer = new PcapFileConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        return new PcapFileProducer(this);
    }
}
