/**
 * The in-JVM event model: telemetry events from agents, feature vectors over a named schema,
 * scores with their evidence, alerts and responses. All types are immutable and thread-safe.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.amoskys.api.event;
