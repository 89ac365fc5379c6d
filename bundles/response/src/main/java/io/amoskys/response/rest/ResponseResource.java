package io.amoskys.response.rest;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonResource;
import io.amoskys.http.auth.Roles;
import io.amoskys.response.admin.ResponseAdmin;

/**
 * A part of the responses' REST API. Every user in a reading role ({@link Roles#READERS}) may GET;
 * deciding an action (approve, reject, undo) takes {@code operator} or {@code admin}, arming a
 * responder and resetting the circuit breaker {@code admin} (403 otherwise). Errors are JSON: 400
 * for a malformed request, 404 for an unknown path, action or responder, 405 for a method the path
 * does not take, 409 for a decision the action's state does not allow, 500 when the store failed.
 * The user recorded in a receipt is always the one who logged in.
 */
abstract class ResponseResource extends JsonResource {
    private static final long serialVersionUID = 1L;

    final transient ResponseAdmin admin;

    ResponseResource(ResponseAdmin admin, HttpBasicGate gate) {
        super(gate);
        this.admin = admin;
    }
}
