package io.amoskys.edge;

/** A command-line argument, or a file it names, that the agent cannot work with. */
final class BadArgumentException extends Exception {
    BadArgumentException(String message) {
        super(message);
    }
}
