package io.amoskys.core.component;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where messages go that could not wait for their plugin: one line per message in
 * {@code data/amoskys/dead-letters.log}, rolled once to {@code .1} past a size limit so the disk
 * use stays bounded. Every message is counted even when the file cannot be written.
 */
public final class DeadLetters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Path file;
    private final long maxBytes;
    private final AtomicLong count = new AtomicLong();
    private BufferedWriter writer;
    private long written;

    public DeadLetters(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public long count() {
        return count.get();
    }

    public Path file() {
        return file;
    }

    /** Records one message that will not reach its plugin. */
    public synchronized void record(String endpointUri, String reason, Object body) {
        count.incrementAndGet();
        String line = Instant.now() + "\t" + oneLine(endpointUri) + "\t" + oneLine(reason) + "\t" + oneLine(body) + "\n";
        try {
            int size = line.getBytes(StandardCharsets.UTF_8).length;
            if (writer == null || written + size > maxBytes) {
                rollOver();
            }
            writer.write(line);
            writer.flush();
            written += size;
        } catch (IOException e) {
            LOG.error("Dead letter for {} ({}) could not be written to {}: {}", endpointUri, reason, file, e.toString());
        }
    }

    private void rollOver() throws IOException {
        if (writer != null) {
            writer.close();
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(file.getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    /** Tabs separate the fields and newlines the messages: both are escaped, whatever the body holds. */
    private static String oneLine(Object body) {
        String text = String.valueOf(body);
        if (text.length() > 2000) {
            text = text.substring(0, 2000) + "...";
        }
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("Closing {}: {}", file, e.toString());
            }
            writer = null;
        }
    }
}
