/**
 * The feature catalogue and feature vectors apart from the live stream: {@link io.amoskys.feature.export.Exports}
 * writes a capture's or a log range's vectors to a file, or hands them to a consumer (model training).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.feature.export;
