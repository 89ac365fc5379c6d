package io.amoskys.edge;

import io.amoskys.schema.v1.Event;
import java.io.IOException;

/** Where events come from: runs until its input ends (or it is interrupted), handing each event on. */
interface EventSource {
    /** Receives events; may block while the spool writes. */
    interface Sink {
        void accept(Event event) throws IOException;
    }

    void run(Sink sink) throws IOException, InterruptedException;
}
