/**
 * Small parts the platform's own responders share: an alert as JSON, and TLS contexts that trust
 * the certificate authorities of one file. Not part of the plugin SPI.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.response.support;
