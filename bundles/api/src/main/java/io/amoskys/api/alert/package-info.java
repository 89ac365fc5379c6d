/**
 * Alerts as the platform keeps them: {@link io.amoskys.api.alert.AlertStore} admits every alert
 * a rule raises (new, grouped into an open alert, or suppressed), keeps it with its evidence and
 * its lifecycle (new, acknowledged, resolved, false positive, each change recorded with who and
 * when), and holds the analysts' suppressions. What it returns follows the OSGi DTO convention
 * (public fields, no behaviour) so that fields can be added in minor versions.
 *
 * @since 1.0
 * 1.1.0: {@link io.amoskys.api.alert.AlertStore#suppression(String)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.api.alert;
