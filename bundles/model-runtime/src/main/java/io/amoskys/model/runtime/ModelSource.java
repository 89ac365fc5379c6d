package io.amoskys.model.runtime;

import java.io.IOException;
import java.io.InputStream;

/** The files of one model bundle, by path. */
interface ModelSource {
    /**
     * @return the file's content, or {@code null} when the bundle has no such file
     * @throws TooLargeException when it holds more than {@code maxBytes}: nothing more is read
     */
    byte[] read(String path, int maxBytes) throws IOException;

    /** A file that would not fit its limit, named with the limit. */
    final class TooLargeException extends IOException {
        TooLargeException(String path, int maxBytes) {
            super(path + " is larger than " + maxBytes + " bytes");
        }
    }

    /** At most {@code maxBytes} of the stream, or TooLargeException: a zip bomb stops at the limit. */
    static byte[] readAtMost(InputStream in, String path, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new TooLargeException(path, maxBytes);
        }
        return bytes;
    }

    /**
     * What code the bundle carries (class files, an activator, declarative components), or null
     * when it carries none: a model bundle is data, and its signature covers nothing else.
     */
    String code();

    /** For messages: which bundle this is. */
    String describe();

    long bundleId();
}
