/**
 * The bus's ingest side for transports inside the platform (the gRPC server, in-container
 * publishers): hand it a serialized envelope, get the acknowledgement once it is durable or the
 * reason it was refused.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.bus;
