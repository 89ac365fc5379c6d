package io.amoskys.responder.email;

import java.util.List;

/** One reply of the server: its three-digit code and its text lines (without the code). */
record SmtpReply(int code, List<String> lines) {
    boolean positive() {
        return code >= 200 && code < 400;
    }

    /** 4xx: the server may take it later. */
    boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** As the server wrote it, on one line. */
    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
