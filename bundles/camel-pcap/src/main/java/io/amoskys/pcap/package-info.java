/**
 * Capture files: {@link io.amoskys.pcap.CaptureReader} reads pcap and pcapng files and hands each
 * packet to a {@link io.amoskys.pcap.PacketVisitor}; damaged input is counted by
 * {@link io.amoskys.pcap.CaptureError} class in the {@link io.amoskys.pcap.CaptureStats}, and
 * reading carries on after it. Live captures say what they lost in {@link io.amoskys.pcap.LiveCaptureStats}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.amoskys.pcap;
