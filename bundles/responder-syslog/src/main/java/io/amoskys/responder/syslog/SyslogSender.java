package io.amoskys.responder.syslog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Sends one message per connection (or datagram): nothing stays open between alerts. */
final class SyslogSender {
    private final SyslogSettings settings;

    SyslogSender(SyslogSettings settings) {
        this.settings = settings;
    }

    /** @return what was done, for the receipt */
    String send(byte[] message) throws IOException {
        switch (settings.transport) {
            case UDP: return udp(message);
            case TCP: return stream(message, false);
            case TLS: return stream(message, true);
            default: throw new IllegalStateException("unknown transport " + settings.transport);
        }
    }

    private String udp(byte[] message) throws IOException {
        InetAddress address = InetAddress.getByName(settings.host);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(message, message.length, address, settings.port));
        }
        return "sent " + message.length + " bytes in one datagram to " + settings.recipient()
                + " (UDP gives no delivery guarantee: the receiver may not have got it)";
    }

    /** RFC 6587 octet counting (RFC 5425 requires it for TLS too): "LENGTH SP MESSAGE". */
    private String stream(byte[] message, boolean tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(settings.host, settings.port), settings.connectTimeoutMillis);
            plain.setSoTimeout(settings.ioTimeoutMillis);
            try (Socket socket = tls ? handshake(plain) : plain; OutputStream out = socket.getOutputStream()) {
                out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(message);
                out.flush();
                return "sent " + message.length + " bytes, octet-counted, to " + settings.recipient()
                        + (tls ? " (TLS " + ((SSLSocket) socket).getSession().getProtocol() + ", certificate verified)" : "");
            }
        } finally {
            plain.close();
        }
    }

    private SSLSocket handshake(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) settings.tls.getSocketFactory().createSocket(plain, settings.host, settings.port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }
}
