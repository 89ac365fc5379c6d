package io.amoskys.bus.grpc.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.bus.grpc.CertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as the shell runs it, without a running gRPC endpoint: files under ${karaf.etc}/amoskys/tls. */
class CertsCommandTest {
    @TempDir
    Path etc;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private String previousEtc;

    @BeforeEach
    void pointKarafEtcHere() {
        previousEtc = System.getProperty("karaf.etc");
        System.setProperty("karaf.etc", etc.toString());
    }

    @AfterEach
    void restore() {
        if (previousEtc == null) {
            System.clearProperty("karaf.etc");
        } else {
            System.setProperty("karaf.etc", previousEtc);
        }
    }

    @Test
    void initAgentAndListPrintWhatTheyDid() throws Exception {
        run("init", null, List.of("ingest.example.org"));
        Path tls = etc.resolve("amoskys/tls");
        assertTrue(Files.exists(tls.resolve("server.key")));
        assertTrue(text().contains("New CA: " + tls.resolve("ca.crt")), text());
        assertTrue(text().contains("ingest.example.org"), text());

        run("agent", "edge-3", List.of());
        Path folder = tls.resolve("agents/edge-3");
        assertTrue(text().contains("Key:         " + folder.resolve("edge-3.key")), text());
        assertEquals("edge-3", CertificateAuthority.readCertificate(folder.resolve("edge-3.crt"))
                .getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1"));

        run("list", null, List.of());
        assertTrue(text().contains("agents/edge-3/edge-3.crt"), text());
        assertTrue(text().contains("CN=AMOSKYS ingest CA"), text());

        run("init", null, List.of());
        assertTrue(text().contains("Kept the existing CA"), text());
    }

    @Test
    void agentWithoutANameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("agent", null, List.of()));
        assertTrue(e.getMessage().contains("name the agent"), e.getMessage());
    }

    private void run(String action, String name, List<String> hosts) throws Exception {
        CertsCommand command = new CertsCommand();
        command.action = action;
        command.name = name;
        command.hosts = hosts;
        PrintStream out = new PrintStream(console, true);
        command.session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getConsole") ? out : null);
        command.execute();
    }

    private String text() {
        return console.toString();
    }
}
