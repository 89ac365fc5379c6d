package io.amoskys.bus.grpc.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.bus.grpc.CertificateAuthority;
import io.amoskys.bus.grpc.GrpcIngestComponent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code amoskys:certs init [--host NAME]... [--days N] [--force] | agent [--out DIR] NAME | list}:
 * the CA and certificates of remote ingest. The work is done by {@link CertificateAuthority}.
 */
@Command(scope = "amoskys", name = "certs",
        description = "Makes the remote-ingest CA and server certificate (init), issues an agent's client "
                + "certificate (agent NAME) or lists the certificates (list).")
@Service
public class CertsCommand implements Action {
    @Argument(index = 0, name = "action", description = "init, agent or list", required = true)
    @Completion(values = {"init", "agent", "list"}, value = StringsCompleter.class)
    String action;

    @Argument(index = 1, name = "name", description = "For agent: the agent id, which becomes the certificate's CN", required = false)
    String name;

    @Option(name = "--host", description = "init: one more name or address for the server certificate (repeatable)", multiValued = true)
    List<String> hosts = new ArrayList<>();

    @Option(name = "--days", description = "Days the server or agent certificate is valid")
    int days = 825;

    @Option(name = "--force", description = "init: replace an existing CA (every agent certificate must then be reissued)")
    boolean force;

    @Option(name = "--out", description = "agent: folder for NAME.crt, NAME.key and ca.crt (default TLSDIR/agents/NAME)")
    String out;

    @Reference(optional = true)
    GrpcIngestComponent endpoint;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream console = TerminalText.lines(session.getConsole());
        Path dir = endpoint != null ? endpoint.tlsDir() : Path.of(GrpcIngestComponent.expand(GrpcIngestComponent.DEFAULT_TLS_DIR));
        CertificateAuthority ca = new CertificateAuthority(dir);
        switch (action) {
            case "init" -> init(ca, console);
            case "agent" -> agent(ca, console);
            case "list" -> list(ca, console);
            default -> throw new IllegalArgumentException("unknown action '" + action + "': use init, agent or list");
        }
        return null;
    }

    private void init(CertificateAuthority ca, PrintStream console) throws Exception {
        CertificateAuthority.InitResult result = ca.init(hosts, days, force);
        console.println(result.newCa()
                ? "New CA: " + result.caCertificate()
                : "Kept the existing CA " + result.caCertificate() + " (--force replaces it; agent certificates must then be reissued)");
        console.println("Server certificate " + result.serverCertificate() + " for " + String.join(", ", result.serverNames()));
        if (endpoint != null) {
            console.println(endpoint.restart());
        }
    }

    private void agent(CertificateAuthority ca, PrintStream console) throws Exception {
        if (name == null) {
            throw new IllegalArgumentException("name the agent: amoskys:certs agent [--out DIR] NAME");
        }
        Path folder = out != null ? Path.of(out) : ca.dir().resolve("agents").resolve(name);
        CertificateAuthority.AgentFiles files = ca.issueAgent(name, folder, days);
        console.println("Certificate: " + files.certificate());
        console.println("Key:         " + files.key());
        console.println("CA:          " + files.ca());
    }

    private void list(CertificateAuthority ca, PrintStream console) throws Exception {
        ShellTable table = new ShellTable().emptyTableText("no certificates in " + ca.dir() + " (amoskys:certs init makes them)");
        table.column("File");
        table.column("Subject");
        table.column("Serial");
        table.column("Expires");
        for (CertificateAuthority.Listing c : ca.list()) {
            table.addRow().addContent(TerminalText.cells(ca.dir().relativize(c.file()).toString(), c.subject(), c.serial(), c.notAfter().toString()));
        }
        table.print(session.getConsole());
    }
}
