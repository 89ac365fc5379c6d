/**
 * HTTP Basic for the platform's REST APIs: credentials checked against Karaf's JAAS realm (the
 * same users as the shell), the roles each API admits, and the JSON every API answers with,
 * errors included.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.amoskys.http.auth;
