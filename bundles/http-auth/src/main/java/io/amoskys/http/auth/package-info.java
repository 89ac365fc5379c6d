/**
 * Logging in to the platform's REST APIs and pages: HTTP Basic credentials or a browser session
 * (with its CSRF token), checked against Karaf's JAAS realm (the same users as the shell), the
 * roles each API admits, and the JSON every API answers with, errors included.
 *
 * @since 2.1: browser sessions ({@code BrowserSessions}, {@code HttpBasicGate.login}); 2.3: {@code JsonResource};
 *     2.4: sessions and streams end when their user's account changes ({@code HttpBasicGate.stillOpen} and the like);
 *     2.5: {@code ClientAddress}, the client behind trusted reverse proxies ({@code HttpBasicGate.clients})
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.5.0")
package io.amoskys.http.auth;
