package io.amoskys.edge;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The store-and-forward spool: signed envelopes on disk, in sequence order, until the server has
 * answered for them. Segment files ({@code SEQUENCE.seg}, named by their first sequence) hold
 * records {@code [int length][long sequence][int crc32][envelope]}; appends are fsync'd before
 * {@link #append} returns, so nothing is sent that a crash could lose. A segment is deleted once
 * every envelope in it is done (acknowledged, rejected or dropped). Past {@code maxBytes} the
 * oldest segments are dropped, counted and logged. The next sequence survives restarts: it is
 * the newest record's plus one, or the {@code next-sequence} file written before the spool
 * empties; a new spool starts at the sequence it is opened with. Thread-safe; one process per folder (a lock file says so).
 */
public final class Spool implements Closeable {
    /** One spooled envelope. */
    public record Record(long sequence, byte[] envelope) {}

    static final int HEADER = 4 + 8 + 4;
    private static final int MAX_RECORD = 256 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    private static final String NEXT_SEQUENCE = "next-sequence";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Consumer<String> log;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final long firstSequence;
    private long nextSequence;
    private long persistedNext;
    /** Every sequence up to this one is done with: acknowledged, rejected or dropped. */
    private long doneThrough;
    private long bytes;
    private long dropped;

    private Spool(Path dir, long maxBytes, long firstSequence, Consumer<String> log) throws IOException {
        this.dir = dir;
        this.firstSequence = firstSequence;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(1, Math.min(16L * 1024 * 1024, maxBytes / 8));
        this.log = log;
        Files.createDirectories(dir);
        lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockFile.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            held = null; // this very process has it open already
        }
        lock = held;
        if (lock == null) {
            lockFile.close();
            throw new IOException("the spool " + dir + " is in use by another edge-agent");
        }
    }

    /** Opens (or creates) the spool in {@code dir}, recovering what a crash left: a torn last record is cut off. */
    public static Spool open(Path dir, long maxBytes, Consumer<String> log) throws IOException {
        return open(dir, maxBytes, 1, log);
    }

    /**
     * Opens the spool in {@code dir}; if it holds nothing yet, not even a next sequence, its first
     * envelope takes {@code firstSequence}.
     */
    public static Spool open(Path dir, long maxBytes, long firstSequence, Consumer<String> log) throws IOException {
        if (maxBytes < 1 || firstSequence < 1) {
            throw new IllegalArgumentException("the spool's bound and first sequence must be at least 1");
        }
        Spool spool = new Spool(dir, maxBytes, firstSequence, log);
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        return spool;
    }

    private void recover() throws IOException {
        Path next = dir.resolve(NEXT_SEQUENCE);
        persistedNext = Files.exists(next) ? Long.parseLong(Files.readString(next).strip()) : 1;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            found.forEach(files::add);
        }
        files.sort(null);
        long last = 0;
        for (Path file : files) {
            Segment segment = Segment.recover(file, log);
            if (segment.count == 0) {
                segment.delete();
                continue;
            }
            segments.add(segment);
            bytes += segment.bytes;
            last = segment.last();
        }
        boolean fresh = !Files.exists(next) && segments.isEmpty();
        nextSequence = fresh ? firstSequence : Math.max(Math.max(persistedNext, last + 1), 1);
        doneThrough = segments.isEmpty() ? nextSequence - 1 : segments.peekFirst().first - 1;
    }

    public synchronized long nextSequence() {
        return nextSequence;
    }

    /** Appends the envelope with the next sequence and forces it to disk; then drops the oldest past the bound. */
    public synchronized void append(long sequence, byte[] envelope) throws IOException {
        if (sequence != nextSequence) {
            throw new IllegalArgumentException("expected sequence " + nextSequence + ", got " + sequence);
        }
        int size = HEADER + envelope.length;
        Segment active = segments.peekLast();
        if (active == null || (active.bytes > 0 && active.bytes + size > segmentBytes)) {
            active = Segment.create(dir.resolve(String.format("%020d%s", sequence, SUFFIX)), sequence);
            segments.add(active);
            forceDirectory();
        }
        active.write(sequence, envelope);
        active.channel.force(false);
        bytes += size;
        nextSequence = sequence + 1;
        while (bytes > maxBytes && segments.size() > 1) {
            dropOldest();
        }
    }

    /** The first envelope after {@code after} that is not done with, or null when there is none yet. */
    public synchronized Record next(long after) throws IOException {
        long wanted = Math.max(after, doneThrough) + 1;
        for (Segment segment : segments) {
            if (wanted <= segment.last()) {
                return segment.read(Math.max(wanted, segment.first));
            }
        }
        return null;
    }

    /** The server has answered for {@code sequence} (and, since answers come in order, for all before it). */
    public synchronized void acknowledge(long sequence) throws IOException {
        doneThrough = Math.max(doneThrough, sequence);
        while (!segments.isEmpty() && segments.peekFirst().last() <= doneThrough) {
            remove(segments.peekFirst());
        }
    }

    /** Envelopes not done with yet. */
    public synchronized long pending() {
        return nextSequence - 1 - doneThrough;
    }

    public synchronized long doneThrough() {
        return doneThrough;
    }

    /** Envelopes dropped unsent because the spool was over its bound, since it was opened. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized long bytes() {
        return bytes;
    }

    private void dropOldest() throws IOException {
        Segment oldest = segments.peekFirst();
        long from = Math.max(doneThrough + 1, oldest.first);
        long lost = oldest.last() - from + 1;
        if (lost > 0) {
            dropped += lost;
            log.accept("edge-agent: spool over its bound of " + maxBytes + " bytes: dropped the " + lost
                    + " oldest unacknowledged envelopes (sequences " + from + ".." + oldest.last() + ")");
        }
        doneThrough = Math.max(doneThrough, oldest.last());
        remove(oldest);
    }

    private void remove(Segment segment) throws IOException {
        if (segments.size() == 1 && persistedNext < nextSequence) {
            // The last segment goes: keep the next sequence where a restart will find it.
            Path tmp = dir.resolve(NEXT_SEQUENCE + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(ByteBuffer.wrap((nextSequence + "\n").getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            Files.move(tmp, dir.resolve(NEXT_SEQUENCE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            persistedNext = nextSequence;
        }
        segments.remove(segment);
        bytes -= segment.bytes;
        segment.delete();
        forceDirectory();
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (Segment segment : segments) {
            segment.channel.close();
        }
        segments.clear();
        lock.release();
        lockFile.close();
    }

    /** One segment file and where its records start. */
    private static final class Segment {
        final Path path;
        final FileChannel channel;
        final long first;
        long[] offsets = new long[64];
        int count;
        long bytes;

        private Segment(Path path, FileChannel channel, long first) {
            this.path = path;
            this.channel = channel;
            this.first = first;
        }

        static Segment create(Path path, long first) throws IOException {
            return new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), first);
        }

        static Segment recover(Path path, Consumer<String> log) throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            Segment segment = null;
            long position = 0;
            String damage = null;
            while (position < size) {
                if (size - position < HEADER) {
                    damage = "a torn record header";
                    break;
                }
                header.clear();
                readFully(channel, header, position);
                header.flip();
                int length = header.getInt();
                long sequence = header.getLong();
                int crc = header.getInt();
                if (length < 0 || length > MAX_RECORD || size - position - HEADER < length) {
                    damage = "a torn record";
                    break;
                }
                if (segment == null) {
                    segment = new Segment(path, channel, sequence);
                }
                if (sequence != segment.first + segment.count) {
                    damage = "sequence " + sequence + " where " + (segment.first + segment.count) + " belongs";
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(channel, payload, position + HEADER);
                if (crc32(payload.array()) != crc) {
                    damage = "a record whose checksum does not match";
                    break;
                }
                segment.add(position, HEADER + length);
                position += HEADER + length;
            }
            if (damage != null) {
                log.accept("edge-agent: spool file " + path + " ends in " + damage + " at byte " + position
                        + " (an interrupted write); cut it off there");
                channel.truncate(position);
                channel.force(true);
            }
            return segment != null ? segment : new Segment(path, channel, 0);
        }

        long last() {
            return first + count - 1;
        }

        void write(long sequence, byte[] envelope) throws IOException {
            ByteBuffer record = ByteBuffer.allocate(HEADER + envelope.length);
            record.putInt(envelope.length).putLong(sequence).putInt(crc32(envelope)).put(envelope).flip();
            long position = bytes;
            while (record.hasRemaining()) {
                channel.write(record, position + record.position());
            }
            add(position, HEADER + envelope.length);
        }

        Record read(long sequence) throws IOException {
            long position = offsets[(int) (sequence - first)];
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(channel, header, position);
            header.flip();
            int length = header.getInt();
            long stored = header.getLong();
            if (stored != sequence) {
                throw new IOException(path + ": found sequence " + stored + " where " + sequence + " was written");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + HEADER);
            return new Record(sequence, payload.array());
        }

        private void add(long position, int size) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = position;
            bytes += size;
        }

        void delete() throws IOException {
            channel.close();
            Files.deleteIfExists(path);
        }

        private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("unexpected end of spool file");
                }
            }
        }

        private static int crc32(byte[] bytes) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return (int) crc.getValue();
        }
    }
}
