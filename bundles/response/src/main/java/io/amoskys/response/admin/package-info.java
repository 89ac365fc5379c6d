/**
 * What the shell, the REST API and the dashboard use to see and steer responses: actions with
 * their state, responders with their arming, approval and undo, and receipt verification. DTOs
 * follow the OSGi convention (public fields) so fields can be added in minor versions.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.response.admin;
