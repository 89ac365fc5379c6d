package io.amoskys.responder.syslog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;

/**
 * A real syslog receiver on a loopback port: UDP (one message per datagram) or a stream server
 * (TCP, or TLS with a given server socket factory) that reads RFC 6587 octet-counted frames and
 * insists on them: a frame that is not "DIGITS SP MESSAGE" is recorded as a framing error.
 */
final class Listener implements AutoCloseable {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> framingErrors = new LinkedBlockingQueue<>();
    private final DatagramSocket datagrams;
    private final ServerSocket server;
    private final Thread thread;

    private Listener(DatagramSocket datagrams, ServerSocket server) {
        this.datagrams = datagrams;
        this.server = server;
        this.thread = new Thread(datagrams != null ? this::receiveDatagrams : this::acceptStreams, "syslog-listener");
        thread.setDaemon(true);
        thread.start();
    }

    static Listener udp() throws IOException {
        return new Listener(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), null);
    }

    static Listener stream(ServerSocketFactory factory) throws IOException {
        return new Listener(null, factory.createServerSocket(0, 16, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return datagrams != null ? datagrams.getLocalPort() : server.getLocalPort();
    }

    String next() throws InterruptedException {
        String message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("the listener got no message" + (framingErrors.isEmpty() ? "" : "; framing errors: " + framingErrors));
        }
        return message;
    }

    private void receiveDatagrams() {
        byte[] buffer = new byte[65536];
        while (!datagrams.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                datagrams.receive(packet);
                messages.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void acceptStreams() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                readFrames(socket.getInputStream());
            } catch (IOException e) {
                if (!server.isClosed()) {
                    framingErrors.add(e.toString()); // a handshake the client broke off, for example
                }
            }
        }
    }

    private void readFrames(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream digits = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= '0' && b <= '9' && digits.size() < 10) {
                digits.write(b);
            }
            if (b < 0 && digits.size() == 0) {
                return; // the sender closed between frames
            }
            if (b != ' ' || digits.size() == 0 || digits.toByteArray()[0] == '0') {
                framingErrors.add("expected MSG-LEN SP, got '" + digits + "' then byte " + b);
                return;
            }
            int length = Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
            byte[] message = in.readNBytes(length);
            if (message.length != length) {
                framingErrors.add("frame of " + length + " bytes ended after " + message.length
                        + ": " + new String(Arrays.copyOf(message, Math.min(80, message.length)), StandardCharsets.UTF_8));
                return;
            }
            messages.add(new String(message, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        if (datagrams != null) {
            datagrams.close();
        } else {
            server.close();
        }
        thread.join(5000);
    }
}
