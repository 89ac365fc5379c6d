/**
 * The model bundle format (docs/MODELS.md), shared by the model runtime and the trainers: the
 * descriptor and its canonical JSON, calibration, the Ed25519 model signature, and the writer of
 * signed model bundles. Usable outside OSGi (build-time trainers).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.amoskys.model.format;
