/**
 * Agents and devices as operators see them, computed in one place so that
 * {@code amoskys:agents}, {@code amoskys:devices} and the REST API always show the same numbers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.admin.view;
