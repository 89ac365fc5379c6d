/**
 * Signed envelopes: Ed25519 keys and key ids, the canonical bytes a signature covers, signing and
 * verification, and the codec between the wire form ({@link io.amoskys.schema.v1}) and the in-JVM
 * {@link io.amoskys.api.event.TelemetryEvent}. Remote agents use this package outside OSGi too.
 * 1.1.0: signature version 2 ({@link io.amoskys.schema.CanonicalBytes#ofDigest}), which
 * {@link io.amoskys.schema.EnvelopeSigner} now signs; version 1 still verifies.
 * 1.2.0: {@link io.amoskys.schema.RejectReason#SEQUENCE_REUSED}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.amoskys.schema;
