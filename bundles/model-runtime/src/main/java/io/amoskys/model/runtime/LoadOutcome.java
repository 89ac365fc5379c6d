package io.amoskys.model.runtime;

/** What loading one model of a bundle gave: the version, or the refusal with its reason. */
sealed interface LoadOutcome permits ModelVersion, RefusedModel {
}
