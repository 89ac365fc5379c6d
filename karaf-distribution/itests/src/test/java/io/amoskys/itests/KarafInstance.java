package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One AMOSKYS distribution unpacked from the build's tar.gz into its own folder, started as a
 * separate process ({@code bin/karaf server}) and driven through {@code bin/client}, the way an
 * operator's scripts do.
 */
final class KarafInstance implements AutoCloseable {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** How long after a start the bundle probes wait for provisioning to end before they log in anyway. */
    private static final Duration PROVISIONING_QUIET = Duration.ofSeconds(60);

    final Path home;
    final int sshPort;
    final int httpPort;
    private Process process;
    private ShellClient shell;
    /**
     * Every command through bin/client, as for the stock Karaf peer (see {@link #useBinClient}), or
     * since this JVM's SSH client could not log in (see {@link #afterNoLogin}).
     */
    private volatile boolean binClient;
    /** Set when neither this JVM's client nor bin/client could log in (see {@link #afterNoLogin}). */
    private volatile SshDown sshDown;
    private long startedAtNanos;
    private Instant startedAt;
    /** Stock Karaf: user and password, sent with every command in batch mode. */
    private List<String> login = List.of();

    private KarafInstance(Path home, int sshPort, int httpPort) {
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    /** Unpacks a fresh copy of the distribution under {@code target/instances/NAME}. */
    static KarafInstance unpack(String name) throws IOException, InterruptedException {
        return unpack(name, Path.of(System.getProperty("amoskys.distribution")));
    }

    /** Unpacks a fresh copy of any Karaf distribution tarball under {@code target/instances/NAME}. */
    static KarafInstance unpack(String name, Path tarball) throws IOException, InterruptedException {
        Path parent = Path.of(System.getProperty("amoskys.instances")).resolve(name);
        if (Files.exists(parent)) {
            run(List.of("rm", "-rf", parent.toString()), parent.getParent());
        }
        Files.createDirectories(parent);
        run(List.of("tar", "xzf", tarball.toString(), "-C", parent.toString()), parent);
        Path home;
        try (var entries = Files.list(parent)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        KarafInstance karaf = new KarafInstance(home, Ports.free(), Ports.free());
        karaf.setProperty("org.apache.karaf.shell", "sshPort", Integer.toString(karaf.sshPort));
        if (Files.exists(home.resolve("etc/org.ops4j.pax.web.cfg"))) {
            karaf.setProperty("org.ops4j.pax.web", "org.osgi.service.http.port", Integer.toString(karaf.httpPort));
        }
        return karaf;
    }

    /**
     * For a stock Karaf (the benchmark peer), which ships no user and whose client cannot take a
     * command without a terminal: adds a user and sends commands in batch mode.
     */
    void useLogin(String user, String password) throws IOException {
        Files.writeString(home.resolve("etc/users.properties"), "\n" + user + " = " + password + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        login = List.of("-u", user, "-p", password, "-b");
    }

    /**
     * Sends every command through bin/client, a JVM each, instead of the test's SSH client: for the
     * start-up benchmark, which probes this distribution as it probes the stock Karaf peer.
     */
    void useBinClient() {
        binClient = true;
    }

    /** Sets one property in {@code etc/PID.cfg}, creating the file if needed. */
    void setProperty(String pid, String key, String value) throws IOException {
        Path cfg = home.resolve("etc").resolve(pid + ".cfg");
        List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg)) : new ArrayList<>();
        lines.removeIf(l -> l.strip().startsWith(key + " ") || l.strip().startsWith(key + "="));
        lines.add(key + " = " + value);
        Files.write(cfg, lines);
    }

    void configure(String pid, Map<String, String> properties) throws IOException {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            setProperty(pid, e.getKey(), e.getValue());
        }
    }

    Path routes() {
        return home.resolve("etc/amoskys/routes");
    }

    /** Karaf's hot-deploy folder: a bundle written here is installed and started. */
    Path deploy() {
        return home.resolve("deploy");
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        startedAtNanos = System.nanoTime();
        startedAt = Instant.now();
        sshDown = null; // a new server process: its logins are to be tried again
        process = builder.start();
    }

    /**
     * Waits until every bundle is active (fragments resolved) and the AMOSKYS shell answers.
     *
     * @return how long the start took
     */
    Duration awaitAllActive() {
        Duration startup = awaitBundlesActive("AMOSKYS Core");
        Eventually.await("amoskys:status to list the platform route", BOOT_TIMEOUT, this::status,
                s -> !s.routes().isEmpty());
        return startup;
    }

    /** Waits until the bundle named {@code marker} is installed and every bundle is active. */
    Duration awaitBundlesActive(String marker) {
        Eventually.await("every bundle of the distribution to be active", BOOT_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited with " + process.exitValue() + "; see " + home.resolve("console.log"));
            }
            if (provisioning() && System.nanoTime() - startedAtNanos < PROVISIONING_QUIET.toNanos()) {
                return List.of("the features service is still installing (karaf.log)");
            }
            String list = client("bundle:list -t 0 --no-format");
            List<String> pending = notActive(list);
            if (!list.contains(marker)) {
                pending.add(marker + " is not installed yet");
            }
            return pending;
        }, List::isEmpty);
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    /**
     * Whether karaf.log shows the features service between its "Changes to perform:" and its "Done.":
     * bundles are still being installed, refreshed and started, so a shell probe would only be one
     * more SSH login. Half a minute of a boot's probes were such logins, and the one CI failure of the
     * SSH server (see {@link #afterNoLogin}) came in that half minute, ten logins into a boot.
     */
    private boolean provisioning() {
        String log;
        try {
            log = Files.readString(home.resolve("data/log/karaf.log"));
        } catch (IOException e) { // not written yet
            return false;
        }
        return log.lastIndexOf("| Changes to perform:") > log.lastIndexOf("| Done.");
    }

    /** Bundles not in their final state: Active, or Resolved for fragments. */
    static List<String> notActive(String bundleList) {
        List<String> pending = new ArrayList<>();
        for (String line : bundleList.split("\n")) {
            String[] c = line.split("\t");
            if (c.length < 5 || !c[0].strip().matches("\\d+")) {
                continue;
            }
            String state = c[1].strip();
            boolean fragment = c[4].contains("Hosts:");
            if (!(state.equals("Active") || (fragment && state.equals("Resolved")))) {
                pending.add(c[0].strip() + " " + c[4].strip() + " " + state);
            }
        }
        return pending;
    }

    /** Whether the shell's SSH server opens an SFTP channel for the local operator. */
    boolean offersSftp() {
        return shell().opensSftp();
    }

    /** Runs one shell command as the local operator (see {@link ShellClient}); fails on a non-zero exit. */
    String client(String command) {
        ClientResult result = clientResult(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("bin/client \"" + command + "\" exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    record ClientResult(int exitCode, String output) {}

    /** One shell command as bin/client runs it with the operator key, but over SSH from this JVM (see {@link ShellClient}). */
    ClientResult clientResult(String command) {
        if (binClient || !login.isEmpty()) {
            return clientResult(List.of(command));
        }
        SshDown down = sshDown;
        if (down != null && System.nanoTime() < down.untilNanos()) {
            throw new IllegalStateException("\"" + command + "\" not sent: no client could log in to this container lately; "
                    + down.failure().getMessage().lines().findFirst().orElse(""), down.failure());
        }
        ShellClient.Result result;
        try {
            result = shell().execute(command, Duration.ofSeconds(60));
        } catch (ShellClient.NoLogin e) {
            return afterNoLogin(command, e);
        }
        return new ClientResult(result.exitCode(), result.output().lines().collect(Collectors.joining("\n")));
    }

    /**
     * A few times in CI, never on a development machine (12,000 logins in 20 minutes under replay
     * load tried), a login of this JVM's SSH client to a container timed out, and the next with a new
     * client too (once every later login as well): the container's SSH server had stopped accepting
     * connections. First the server is restarted ({@link #afterSshRestart}); if the command then runs,
     * later commands go on over SSH. Else bin/client, a JVM of its own, tells which side hung. If it
     * logs in, its result is the command's, and this instance's later commands go through bin/client
     * too: each would otherwise wait 40 s for a login first. If it does not, the failure carries the
     * container's SSH threads and sockets, and for the next five minutes (or until the container is
     * started again) commands fail at once instead of after the same wait, which would otherwise take
     * a class with a dead SSH server past CI's time limit.
     */
    private ClientResult afterNoLogin(String command, ShellClient.NoLogin noLogin) {
        try {
            ClientResult result = afterSshRestart(command);
            System.err.println(noLogin.getMessage() + "\nAfter a restart of the container's SSH server \"" + command
                    + "\" ran over SSH; later commands go on over SSH.");
            return result;
        } catch (RuntimeException | IOException | AssertionError noRestart) { // Eventually fails with an AssertionError
            noLogin.addSuppressed(noRestart);
        }
        System.err.println(noLogin.getMessage() + "\nRunning \"" + command + "\" and this instance's later commands with bin/client.");
        try {
            ClientResult result = clientResult(List.of(command));
            String output = result.output();
            if (!output.contains("Failed to get the session") && !output.contains("No more authentication methods")) {
                binClient = true;
                return result;
            }
            noLogin.addSuppressed(new IllegalStateException("nor did bin/client log in: " + output));
        } catch (RuntimeException hung) { // nor did bin/client finish in time
            noLogin.addSuppressed(hung);
        }
        sshDown = new SshDown(noLogin, System.nanoTime() + TimeUnit.MINUTES.toNanos(5));
        throw noLogin;
    }

    /**
     * Restarts the container's SSH server, as an operator would, by changing its configuration (Karaf
     * makes a new server, with a new acceptor, on every update of {@code org.apache.karaf.shell}), and
     * runs the command once the new server lets this JVM's client log in. In CI the old server had
     * stopped accepting connections: they queued in its listening socket, unread.
     */
    ClientResult afterSshRestart(String command) throws IOException {
        int updates = occurrences(log(), "Updating configuration {org.apache.karaf.shell}");
        setProperty("org.apache.karaf.shell", "amoskys.itests.sshRestartedAtMillis", Long.toString(System.currentTimeMillis()));
        Eventually.await("Karaf to update its SSH server's configuration", Duration.ofSeconds(30), this::log,
                log -> occurrences(log, "Updating configuration {org.apache.karaf.shell}") > updates);
        Eventually.await("a login to the restarted SSH server", Duration.ofSeconds(60), () -> {
            shell().logIn();
            return true;
        }, loggedIn -> loggedIn);
        ShellClient.Result result = shell().execute(command, Duration.ofSeconds(60)); // once: it must not run twice
        return new ClientResult(result.exitCode(), result.output().lines().collect(Collectors.joining("\n")));
    }

    /** How many times {@code part} occurs in {@code text}. */
    static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    /** The failure of both clients, and until when later commands fail at once with it. */
    private record SshDown(ShellClient.NoLogin failure, long untilNanos) {}

    /**
     * The container's threads, written beside its log (for an SSH login that hangs): says where.
     * Then the SSH port's sockets (a LISTEN socket whose Recv-Q grows holds connections the server
     * never accepted) and how many descriptors the container holds.
     */
    private String dumpThreads() {
        Path file = home.resolve("data/log/threads-" + System.currentTimeMillis() + ".txt");
        try {
            long java = process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid()); // bin/karaf server forks it
            appendOutput(file, "jcmd", Long.toString(java), "Thread.print");
            appendOutput(file, "ss", "-tanpi", "( sport = :" + sshPort + " or dport = :" + sshPort + " )");
            appendOutput(file, "sh", "-c", "echo open descriptors: $(ls /proc/" + java + "/fd | wc -l); grep 'open files' /proc/" + java + "/limits");
            return "the container's threads and SSH sockets are in " + file + "; of them, its SSH server and sockets:\n"
                    + sshDigest(Files.readString(file));
        } catch (IOException e) {
            return "no thread dump of the container: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump of the container: interrupted";
        }
    }

    /**
     * What a CI log must show of a thread dump for a login that hangs, where the file itself is out
     * of reach: the SSH server's threads with their top frames, how many threads the container has,
     * and what follows the dump (the SSH port's sockets but those in TIME-WAIT, counted, and the
     * descriptors).
     */
    private static String sshDigest(String dump) {
        StringBuilder digest = new StringBuilder();
        int threads = 0;
        int timeWait = 0;
        int frames = 0; // frames still to copy of the current thread
        boolean afterThreads = false;
        for (String line : dump.split("\n")) {
            if (line.isBlank()) {
                continue;
            } else if (afterThreads) {
                if (line.startsWith("TIME-WAIT")) {
                    timeWait++;
                } else {
                    digest.append(line.strip()).append('\n');
                }
            } else if (line.startsWith("JNI global refs")) {
                afterThreads = true;
            } else if (line.startsWith("\"")) {
                threads++;
                frames = line.startsWith("\"sshd-") ? 12 : 0;
                if (frames > 0) {
                    digest.append(line).append('\n');
                }
            } else if (frames > 0) {
                digest.append(line).append('\n');
                frames--;
            }
        }
        return digest.append(timeWait).append(" sockets in TIME-WAIT; ").append(threads).append(" threads").toString();
    }

    private static void appendOutput(Path file, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private synchronized ShellClient shell() {
        if (shell == null) {
            shell = new ShellClient(home.resolve("etc/amoskys/operator.key"), sshPort, this::dumpThreads);
        }
        return shell;
    }

    /** bin/client itself with the given arguments (options, then the command): a JVM per call. */
    ClientResult clientResult(List<String> arguments) {
        String command = String.join(" ", arguments);
        try {
            List<String> line = new ArrayList<>();
            line.add(home.resolve("bin/client").toString());
            if (login.isEmpty()) {
                line.addAll(arguments);
            } else {
                line.addAll(login);
            }
            // Its output goes to a file, not a pipe read to its end, so that a client that hangs is
            // stopped after 60 s instead of holding the test until Maven's own timeout.
            Path output = Files.createTempFile("amoskys-client-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(line)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                if (login.isEmpty()) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
                Process client = builder.start();
                if (!login.isEmpty()) {
                    client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
                }
                client.getOutputStream().close();
                boolean finished = client.waitFor(60, TimeUnit.SECONDS);
                if (!finished) {
                    client.descendants().forEach(ProcessHandle::destroyForcibly); // the script's java
                    client.destroyForcibly().waitFor();
                }
                String printed = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
                if (!finished) {
                    throw new IllegalStateException("bin/client \"" + command + "\" did not finish in 60 s: " + printed);
                }
                String withoutNoise = printed.lines()
                        .filter(l -> !l.contains("JAVA_HOME not set"))
                        .collect(Collectors.joining("\n"));
                return new ClientResult(client.exitValue(), withoutNoise);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * From the launch to the moment Karaf's feature service finished provisioning the boot
     * features, by the timestamp of its last "Done." line in karaf.log (millisecond precision,
     * unlike the probes of {@link #awaitAllActive}). Call once all bundles are active.
     */
    Duration provisionedAfterStart() throws IOException {
        String done = log().lines()
                .filter(l -> l.contains("FeaturesServiceImpl") && l.strip().endsWith("| Done."))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("no provisioning in " + home.resolve("data/log/karaf.log")));
        LocalDateTime at = LocalDateTime.parse(done.substring(0, done.indexOf(" |")).strip().replace(',', '.'));
        return Duration.between(startedAt, at.atZone(ZoneId.systemDefault()).toInstant());
    }

    /** GET http://127.0.0.1:httpPort/PATH; fails on a status other than 200. */
    String httpGet(String path) {
        HttpResponse<String> response = http("GET", path, Map.of(), null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /**
     * METHOD http://127.0.0.1:httpPort/PATH with an Authorization header (none if null) and a JSON
     * body (none if null); any status.
     */
    HttpResponse<String> http(String method, String path, String authorization, String json) {
        return http(method, path, authorization == null ? Map.of() : Map.of("Authorization", authorization), json);
    }

    /** METHOD http://127.0.0.1:httpPort/PATH with these headers and a JSON body (none if null); any status. */
    HttpResponse<String> http(String method, String path, Map<String, String> headers, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Authorization header of HTTP Basic with these credentials. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The password of admin that the platform generated at its first start (no default password exists). */
    String initialAdminPassword() throws IOException {
        return Files.readString(home.resolve("etc/amoskys/initial-admin-password")).strip();
    }

    /**
     * Adds users to the realm "karaf" with the shell's jaas commands, as an operator would: each one
     * "NAME PASSWORD ROLE..." (no role: a user the REST APIs must refuse). Karaf's
     * auto-encryption rewrites etc/users.properties from a thread of its own after each change and
     * may write back a version older than the last one saved (a role lost, seen in CI): the file is
     * read until every user is there with an encrypted password and its roles, and what is missing
     * is added again.
     */
    void addUsers(String... users) {
        List<String> missing = List.of(users);
        for (int round = 0; round < 3 && !missing.isEmpty(); round++) {
            addThroughTheShell(missing);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            missing = missingUsers(missing);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // between two reads
                missing = missingUsers(missing);
            }
        }
        assertEquals(List.of(), missing, "users missing from etc/users.properties: " + readUsers());
    }

    private void addThroughTheShell(List<String> users) {
        StringBuilder commands = new StringBuilder("jaas:realm-manage --realm karaf");
        for (String user : users) {
            String[] words = user.split(" ");
            commands.append("; jaas:user-add ").append(words[0]).append(' ').append(words[1]);
            for (int i = 2; i < words.length; i++) {
                commands.append("; jaas:role-add ").append(words[0]).append(' ').append(words[i]);
            }
        }
        client(commands.append("; jaas:update").toString());
    }

    /** Those of {@code users} not yet in etc/users.properties with an encrypted password and all their roles. */
    private List<String> missingUsers(List<String> users) {
        java.util.Properties file = readUsers();
        return users.stream().filter(user -> {
            String[] words = user.split(" ");
            String entry = file.getProperty(words[0]);
            if (entry == null || !entry.startsWith("{CRYPT}")) {
                return true;
            }
            List<String> roles = List.of(entry.split(","));
            return !roles.containsAll(List.of(words).subList(2, words.length));
        }).toList();
    }

    private java.util.Properties readUsers() {
        java.util.Properties file = new java.util.Properties();
        try (var in = Files.newBufferedReader(home.resolve("etc/users.properties"))) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    Status status() {
        return Status.parse(client("amoskys:status --no-format"));
    }

    /** data/log/karaf.log as it is now (unchecked, so that it can feed {@link Eventually}). */
    String log() {
        return read("data/log/karaf.log");
    }

    /** A file of the installation as it is now, by its path under the home (unchecked, for {@link Eventually}). */
    String read(String path) {
        try {
            return Files.readString(home.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            if (shell != null) {
                shell.close();
            }
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        stop.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        stop.start().waitFor(60, TimeUnit.SECONDS);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** kill -9 of the container's JVM (and the script that started it), as a power cut would. */
    void killHard() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
        process.waitFor();
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
