package io.amoskys.responder.email;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP server for what GreenMail does not do (STARTTLS, AUTH LOGIN alone, 4xx replies,
 * silence). It records each command, prefixed "TLS " once the connection is encrypted, and each
 * message's DATA as it arrived on the wire (dot-stuffed).
 */
final class SmtpStub implements AutoCloseable {
    final List<String> commands = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** Replies that replace the usual one, by verb ("RCPT", "DATA", or "." for the end of a message). */
    final Map<String, String> replies = new ConcurrentHashMap<>();
    /** Addresses RCPT TO refuses with 550. */
    final java.util.Set<String> unknownRecipients = ConcurrentHashMap.newKeySet();
    volatile boolean offerStartTls = true;
    volatile String authMechanisms = "PLAIN LOGIN";
    volatile boolean silent;
    /** Clear text sent right after the STARTTLS answer, as a man in the middle would inject it. */
    volatile String injectAfterStartTls;
    private final ServerSocket server;
    private final SSLContext tls;
    private final Thread acceptor;

    SmtpStub(Path keyStore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptAll, "smtp-stub");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                converse(s);
            } catch (IOException e) {
                // The client left, or the stub is closing.
            }
        }
    }

    private void converse(Socket plain) throws IOException {
        if (silent) {
            plain.getInputStream().read(); // until the client gives up
            return;
        }
        Socket s = plain;
        boolean encrypted = false;
        BufferedReader in = reader(s);
        OutputStream out = s.getOutputStream();
        send(out, "220 stub.test ESMTP");
        for (String read; (read = in.readLine()) != null; ) {
            String line = read;
            commands.add((encrypted ? "TLS " : "") + line);
            String verb = line.split(" ")[0].toUpperCase();
            String scripted = replies.get(verb);
            if (scripted != null) {
                send(out, scripted);
                continue;
            }
            switch (verb) {
                case "EHLO" -> {
                    StringBuilder r = new StringBuilder("250-stub.test greets you\r\n250-8BITMIME\r\n");
                    if (offerStartTls && !encrypted) {
                        r.append("250-STARTTLS\r\n");
                    }
                    r.append("250 AUTH ").append(authMechanisms);
                    send(out, r.toString());
                }
                case "STARTTLS" -> {
                    send(out, "220 2.0.0 ready for TLS" + (injectAfterStartTls == null ? "" : "\r\n" + injectAfterStartTls));
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    s = ssl;
                    encrypted = true;
                    in = reader(s);
                    out = s.getOutputStream();
                }
                case "AUTH" -> {
                    if (line.toUpperCase().startsWith("AUTH LOGIN")) {
                        send(out, "334 VXNlcm5hbWU6");
                        commands.add("(user) " + in.readLine());
                        send(out, "334 UGFzc3dvcmQ6");
                        commands.add("(password) " + in.readLine());
                    }
                    send(out, "235 2.7.0 authenticated");
                }
                case "DATA" -> {
                    send(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    for (String l; (l = in.readLine()) != null && !l.equals("."); ) {
                        data.append(l).append("\r\n");
                    }
                    messages.add(data.toString());
                    send(out, replies.getOrDefault(".", "250 2.0.0 queued as 42"));
                }
                case "RCPT" -> send(out, unknownRecipients.stream().anyMatch(a -> line.contains("<" + a + ">"))
                        ? "550 5.1.1 no such user" : "250 2.1.5 ok");
                case "QUIT" -> {
                    send(out, "221 2.0.0 bye");
                    return;
                }
                default -> send(out, "250 2.0.0 ok");
            }
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    String nextMessage() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("the stub got no message; commands: " + commands);
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
