/**
 * Capture files: {@link io.amoskys.pcap.CaptureReader} reads pcap and pcapng files and hands each
 * packet to a {@link io.amoskys.pcap.PacketVisitor}; damaged input is counted by
 * {@link io.amoskys.pcap.CaptureError} class in the {@link io.amoskys.pcap.CaptureStats}, and
 * reading carries on after it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.pcap;
