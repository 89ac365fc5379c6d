package io.amoskys.api.admin;

import io.amoskys.api.EventSink;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns a capture file into the events its agent would send, for work beside the live stream
 * (exporting features, training): the events go to the given sink only, never to the bus.
 *
 * @since 1.3
 */
@ProviderType
public interface CaptureDecoder {
    /**
     * @return one line saying what the capture amounted to (packets, events, errors by class, time)
     * @throws IOException when the file cannot be read at all (damaged records are counted, not thrown)
     */
    String decode(Path capture, EventSink sink) throws IOException;
}
