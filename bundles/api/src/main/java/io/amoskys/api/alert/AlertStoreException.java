package io.amoskys.api.alert;

/** The alert store failed (its database, or it is stopping); the log has the cause. */
public class AlertStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AlertStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
