package io.amoskys.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The Karaf shell of one instance over SSH from the test's own JVM, logged in as admin with the
 * operator key the platform creates at its first start (etc/amoskys/operator.key), as bin/client
 * logs in, and each command run in an exec channel, as bin/client runs one. bin/client starts a JVM
 * for every command: about 2 s on a 2-core CI machine, and the tests send hundreds. Karaf ends the
 * SSH session after an exec command, so each command has a session of its own (about 0.2 s).
 */
final class ShellClient implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(20);

    record Result(int exitCode, String output) {}

    /** Two logins in a row, each with a client of its own, did not complete: the command was not sent. */
    static final class NoLogin extends UncheckedIOException {
        NoLogin(String message, IOException cause) {
            super(message, cause);
        }
    }

    private final Path keyFile;
    private final int port;
    /** Writes the container's threads somewhere and says where: for a login that hangs twice. */
    private final Supplier<String> containerThreads;
    private SshClient client;
    private KeyPair key;

    ShellClient(Path keyFile, int port, Supplier<String> containerThreads) {
        this.keyFile = keyFile;
        this.port = port;
        this.containerThreads = containerThreads;
    }

    /** Runs one command; its standard output and error together, as bin/client prints them. */
    Result execute(String command, Duration timeout) {
        KeyPair identity = operatorKey(); // until the first start has written it, fail at once
        ClientSession session;
        try {
            session = session(identity);
        } catch (IOException first) {
            if (!timedOut(first)) { // a container not listening yet: the caller's to wait for
                throw new UncheckedIOException("\"" + command + "\" over SSH to port " + port, first);
            }
            // The command was not sent yet, so trying again cannot run it twice. In two CI runs (of
            // some 350 commands each) a login timed out and so did the next with a fresh client;
            // what is printed here and the caller's fallback (KarafInstance) say which side hung.
            System.err.println("SSH login to port " + port + " failed (" + first + "); trying once more with a new client. "
                    + ownResources() + " The SSH client's threads:\n" + sshThreads());
            close(); // the next login makes a new client
            try {
                session = session(identity);
            } catch (IOException second) {
                second.addSuppressed(first);
                throw new NoLogin("\"" + command + "\" over SSH to port " + port + ": no login; " + containerThreads.get(), second);
            }
        }
        return execute(session, command, timeout);
    }

    /** Logs in and out again, running nothing: whether the server lets this client in now. */
    void logIn() {
        try (ClientSession session = session(operatorKey())) {
            session.getServerVersion(); // logged in: nothing else to do
        } catch (IOException e) {
            throw new UncheckedIOException("no login to port " + port, e);
        }
    }

    /**
     * Whether the server speaks SFTP to the local operator: it answers an SFTP INIT with a VERSION
     * packet. A server without the subsystem refuses the request (asked with want-reply), and the
     * channel closes without a byte.
     */
    boolean opensSftp() {
        try (ClientSession session = session(operatorKey())) {
            try (ChannelSubsystem sftp = session.createSubsystemChannel("sftp")) {
                CoreModuleProperties.REQUEST_SUBSYSTEM_REPLY.set(sftp, true);
                sftp.open().verify(CONNECT);
                OutputStream toServer = sftp.getInvertedIn();
                toServer.write(new byte[] {0, 0, 0, 5, 1, 0, 0, 0, 3}); // length 5, SSH_FXP_INIT, version 3
                toServer.flush();
                byte[] head = sftp.getInvertedOut().readNBytes(5); // length, then the packet type
                return head.length == 5 && head[4] == 2; // SSH_FXP_VERSION
            } catch (IOException refused) {
                if (!session.isOpen()) { // not a refusal of the channel: the session itself failed
                    throw new UncheckedIOException("the SSH session to port " + port + " failed", refused);
                }
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no login to port " + port, e);
        }
    }

    private Result execute(ClientSession opened, String command, Duration timeout) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (ClientSession session = opened; ChannelExec channel = session.createExecChannel(command + "\n")) {
            channel.setOut(output);
            channel.setErr(output);
            channel.open().verify(CONNECT);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new IllegalStateException("\"" + command + "\" did not finish in " + timeout.toSeconds() + " s: " + output);
            }
            Integer exit = channel.getExitStatus();
            return new Result(exit == null ? -1 : exit, output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("\"" + command + "\" over SSH to port " + port, e);
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A session logged in as admin; a failure says whether the connection or the login did not complete. */
    private ClientSession session(KeyPair identity) throws IOException {
        ClientSession session;
        try {
            session = client().connect("admin", "127.0.0.1", port).verify(CONNECT).getSession();
        } catch (IOException e) {
            throw new IOException("no connection: " + e.getMessage(), e);
        }
        try {
            session.addPublicKeyIdentity(identity);
            session.auth().verify(CONNECT);
            return session;
        } catch (IOException e) {
            throw new IOException("connected to " + Objects.requireNonNullElse(session.getServerVersion(), "a server that sent no identification")
                    + " but no login: " + e.getMessage(), e);
        } finally {
            if (!session.isAuthenticated()) {
                session.close(true);
            }
        }
    }

    /** This JVM's open descriptors and threads: a login that hangs for want of either is ours. */
    private static String ownResources() {
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return "This JVM holds " + descriptors.count() + " descriptors and " + Thread.getAllStackTraces().size() + " threads.";
        } catch (IOException e) {
            return "This JVM's descriptors cannot be counted: " + e + ".";
        }
    }

    private static String sshThreads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("sshd-")) {
                dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
        });
        return dump.toString();
    }

    private synchronized SshClient client() {
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // our own instance on the loopback
            client.start();
        }
        return client;
    }

    /** The PKCS#8 RSA key FirstStartCredentials writes, and its public half: read once it exists (at the first start). */
    private synchronized KeyPair operatorKey() {
        if (key != null) {
            return key;
        }
        String pem;
        try {
            pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new UncheckedIOException("no operator key yet at " + keyFile, e);
        }
        try {
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            key = new KeyPair(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())),
                    rsa);
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("cannot read the operator key " + keyFile, e);
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
