/**
 * The feature catalogue: what every column of a feature vector means. Stages declare their
 * features as {@link io.amoskys.api.feature.FeatureSet} services; schemas name the chain of
 * stage feature sets (with their versions) that built them, so a model can say exactly which
 * columns it was trained on.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.api.feature;
