/**
 * The AMOSKYS plugin SPI. A plugin is an OSGi service implementing one of {@link
 * io.amoskys.api.Agent}, {@link io.amoskys.api.FeatureStage}, {@link io.amoskys.api.Detector},
 * {@link io.amoskys.api.CorrelationRule} or {@link io.amoskys.api.Responder}, registered with
 * the service property {@value io.amoskys.api.PluginName#PROPERTY} that routes use to address it
 * (for example {@code amoskys:detector/zscore}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.api;
