package io.amoskys.api;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Response;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Acts on alerts: notifies people or systems, or changes the network. Responders that change
 * anything start in dry-run and act only once an operator arms them.
 */
@ConsumerType
public interface Responder {
    /** @return what was done (or, in dry-run, what would have been done) */
    Response respond(Alert alert);
}
