/**
 * What correlation rules see and how they name it: {@link io.amoskys.api.rule.RuleInput} is one
 * observation (the telemetry event, the feature vector built from it, the detectors' scores on
 * it) with the field naming scheme that rule languages such as Sigma use to address its parts;
 * {@link io.amoskys.api.rule.InputRule} is a {@link io.amoskys.api.CorrelationRule} that takes
 * whole observations.
 *
 * @since 1.0 ({@link io.amoskys.api.rule.RuleInput.Field} since 1.1)
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.api.rule;
