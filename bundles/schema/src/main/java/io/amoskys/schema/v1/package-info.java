/**
 * The Protocol Buffers messages of schema version 1, generated from
 * {@code amoskys/v1/envelope.proto}. Fields are only ever added, never renumbered.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.schema.v1;
