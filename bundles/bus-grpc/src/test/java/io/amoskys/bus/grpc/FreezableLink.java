package io.amoskys.bus.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP forwarder to a local port that can go silent without closing anything, as a link that
 * died without a FIN or RST looks to both ends: bytes stop, sockets stay open.
 */
final class FreezableLink implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final int target;
    private final CountDownLatch thawed = new CountDownLatch(1);
    private volatile boolean frozen;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FreezableLink(int target) throws IOException {
        this.target = target;
        Thread acceptor = new Thread(this::accept, "freezable-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing passes in either direction; the sockets stay open. */
    void freeze() {
        frozen = true;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            }
        } catch (IOException closed) {
            // the link was closed
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (frozen) {
                        thawed.await(); // never counted down: what arrives now is swallowed, as on a dead link
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }, "freezable-link-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
