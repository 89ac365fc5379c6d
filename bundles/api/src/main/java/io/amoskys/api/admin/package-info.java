/**
 * What the platform tells about itself to the shell, the REST API and the dashboard: plugins,
 * routes (1.5: with their steps' counters), route files and plugin endpoints with their counters;
 * 1.6: {@link io.amoskys.api.admin.TerminalText}, telemetry's text made safe for a terminal.
 * Status types follow the OSGi DTO convention (public fields, no behaviour) so that fields can be
 * added in minor versions.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package io.amoskys.api.admin;
