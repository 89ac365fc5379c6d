package io.amoskys.responder.email;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One SMTP connection: lines out with CRLF, replies in (bounded in length and count), an optional
 * switch to TLS, and a short transcript for the receipt, with credentials left out.
 */
final class SmtpConnection implements AutoCloseable {
    /** RFC 5321 allows 512 octets per reply line; a little more is tolerated, the rest dropped. */
    static final int MAX_LINE = 2048;
    static final int MAX_REPLY_LINES = 100;
    static final int TRANSCRIPT_LINES = 40;
    static final int TRANSCRIPT_LINE_CHARS = 200;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean tls;
    private final Deque<String> transcript = new ArrayDeque<>();
    private final long replyNanos;

    private SmtpConnection(String host, int port, Duration readTimeout) {
        this.host = host;
        this.port = port;
        this.replyNanos = readTimeout.toNanos();
    }

    /**
     * Connects, and with a TLS factory completes the handshake at once (implicit TLS).
     *
     * @param implicitTls {@code null} for a plain connection
     */
    static SmtpConnection open(String host, int port, Duration connectTimeout, Duration readTimeout,
            SSLSocketFactory implicitTls) throws IOException {
        SmtpConnection c = new SmtpConnection(host, port, readTimeout);
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) readTimeout.toMillis());
            c.use(plain);
            if (implicitTls != null) {
                c.startTls(implicitTls);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream());
    }

    /** Wraps the connection in TLS, verifying the certificate and that it names the host. */
    void startTls(SSLSocketFactory factory) throws IOException {
        if (in.available() > 0) {
            // Clear text after the STARTTLS answer would otherwise pass for encrypted replies (CVE-2011-0411).
            throw new ProtocolException("the server sent more after its STARTTLS answer: refusing to go on");
        }
        SSLSocket ssl = (SSLSocket) factory.createSocket(socket, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // JSSE checks the name only when asked to; "HTTPS" applies RFC 2818/6125 matching.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
        tls = true;
        note("(TLS " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite() + ")");
    }

    java.net.InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    boolean tls() {
        return tls;
    }

    /** Sends one command line and reads the reply. */
    SmtpReply command(String line) throws IOException {
        return command(line, line);
    }

    /** @param shown what the transcript shows instead of the line (it may hold a credential) */
    SmtpReply command(String line, String shown) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an SMTP command is one line");
        }
        note("> " + shown);
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /**
     * Sends the message after DATA's 354: every line ending in CRLF, a line starting with a dot
     * getting another (RFC 5321 4.5.2), then the lone dot that ends it; returns the server's reply.
     */
    SmtpReply data(String message) throws IOException {
        note("> (message, " + message.length() + " characters)");
        StringBuilder stuffed = new StringBuilder(message.length() + 64);
        for (String line : message.split("\r\n", -1)) {
            if (line.startsWith(".")) {
                stuffed.append('.');
            }
            stuffed.append(line).append("\r\n");
        }
        // The split leaves an empty last piece after the final CRLF; its "\r\n" is the one before ".".
        stuffed.setLength(stuffed.length() - 2);
        if (!message.endsWith("\r\n")) {
            stuffed.append("\r\n");
        }
        stuffed.append(".\r\n");
        out.write(stuffed.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        note("> .");
        return reply();
    }

    /**
     * Reads one reply, single or multi-line ({@code 250-...} up to {@code 250 ...}). The whole reply
     * must come within the read timeout (give or take one more), not just each byte: a server that
     * trickles cannot hold the worker.
     */
    SmtpReply reply() throws IOException {
        long deadline = System.nanoTime() + replyNanos;
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = line(deadline);
            note("< " + line);
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new ProtocolException("not an SMTP reply: " + shorten(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new ProtocolException("reply lines with codes " + code + " and " + lineCode);
            }
            code = lineCode;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, List.copyOf(lines));
            }
            if (lines.size() >= MAX_REPLY_LINES) {
                throw new ProtocolException("a reply of more than " + MAX_REPLY_LINES + " lines");
            }
        }
    }

    private String line(long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int total = 0;
        for (int b; (b = in.read()) != '\n'; total++) {
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("the reply took longer than " + replyNanos / 1_000_000_000L + " s");
            }
            if (total > 16 * MAX_LINE) {
                throw new ProtocolException("a reply line of more than " + 16 * MAX_LINE + " bytes");
            }
            if (b != '\r' && bytes.size() < MAX_LINE) {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void note(String line) {
        transcript.addLast(shorten(line));
        if (transcript.size() > TRANSCRIPT_LINES) {
            transcript.removeFirst();
            if (!transcript.peekFirst().equals("…")) {
                transcript.removeFirst();
                transcript.addFirst("…");
            }
        }
    }

    private static String shorten(String line) {
        return line.length() <= TRANSCRIPT_LINE_CHARS ? line : line.substring(0, TRANSCRIPT_LINE_CHARS) + "…";
    }

    /** The last lines of the conversation, credentials left out. */
    String transcript() {
        return String.join("\n", transcript);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to say to this server.
        }
    }
}
