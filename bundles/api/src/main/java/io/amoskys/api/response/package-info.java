/**
 * Responders that act: block an address, kill a process, post a webhook. A plugin implements
 * {@link io.amoskys.api.response.ActionResponder} and says what it would do about an alert
 * ({@link io.amoskys.api.response.ActionRequest}); the platform decides whether, when and how often
 * it runs: dry-run until an operator arms the responder, allowlists, rate limits, a circuit breaker,
 * optional approval, a durable queue with retries, undo at expiry, and a signed receipt for every
 * attempt. The plugin never re-implements those guardrails.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.api.response;
