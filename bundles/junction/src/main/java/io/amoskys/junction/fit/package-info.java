/**
 * Fitting the score junction's weights on labelled observations (for {@code amoskys:evaluate}
 * and recipes): see {@link io.amoskys.junction.fit.WeightFitter}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.junction.fit;
