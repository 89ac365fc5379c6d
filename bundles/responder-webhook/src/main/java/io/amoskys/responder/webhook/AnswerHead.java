package io.amoskys.responder.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/** Keeps the first {@value #MAX} bytes of an answer for the receipt and discards the rest as it arrives. */
final class AnswerHead implements Consumer<Optional<byte[]>> {
    static final int MAX = 512;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    @Override
    public synchronized void accept(Optional<byte[]> chunk) {
        chunk.ifPresent(bytes -> {
            total += bytes.length;
            kept.write(bytes, 0, (int) Math.min(bytes.length, MAX - kept.size()));
        });
    }

    synchronized String text() {
        String head = kept.toString(StandardCharsets.UTF_8).strip();
        return total > MAX ? head + " [" + (total - MAX) + " more bytes]" : head;
    }
}
