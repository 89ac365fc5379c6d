/**
 * The event bus as the pipeline sees it: a durable, ordered log of verified telemetry that
 * consumers read by offset. Agents do not call it: the platform subscribes every {@code Agent}
 * and publishes what it sends, signed with that agent's key.
 *
 * @since 1.0 (1.1: {@code EventLog.find}, events by id)
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.api.bus;
