package io.amoskys.model.runtime;

import java.io.IOException;

/** The files of one model bundle, by path. */
interface ModelSource {
    /** @return the file's content, or {@code null} when the bundle has no such file */
    byte[] read(String path) throws IOException;

    /** For messages: which bundle this is. */
    String describe();

    long bundleId();
}
