package io.amoskys.core.component;

/** A plugin threw while handling a message; names the endpoint and the bundle at fault. */
public class PluginFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginFailedException(String uri, String bundle, Throwable cause) {
        super(uri + " (from " + bundle + ") failed: " + cause, cause);
    }
}
