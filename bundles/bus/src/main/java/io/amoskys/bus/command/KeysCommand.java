package io.amoskys.bus.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.bus.internal.BusService;
import io.amoskys.bus.internal.TrustStore;
import io.amoskys.bus.internal.TrustedKey;
import io.amoskys.schema.Ed25519Keys;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code amoskys:keys}: the agent keys the bus trusts. */
@Command(scope = "amoskys", name = "keys",
        description = "Lists, enrolls, rotates and revokes the Ed25519 keys agents sign with. "
                + "keys list | keys enroll AGENT PUBLIC_KEY | keys rotate [--grace HOURS] AGENT PUBLIC_KEY | keys revoke KEY_ID")
@Service
public class KeysCommand implements Action {

    @Argument(index = 0, name = "action", description = "list, enroll, rotate or revoke", required = false)
    String action = "list";

    @Argument(index = 1, name = "agentOrKey", description = "The agent id (enroll, rotate) or key id (revoke)")
    String target;

    @Argument(index = 2, name = "publicKey", description = "The base64 X.509 Ed25519 public key (enroll, rotate)")
    String publicKey;

    @Option(name = "--grace", description = "rotate: hours the agent's old keys stay valid (default 24)")
    long graceHours = 24;

    @Reference
    BusService bus;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = TerminalText.lines(session.getConsole());
        TrustStore trust = bus.trust();
        switch (action) {
            case "list" -> {
                out.printf("%-16s  %-32s  %-8s  %-20s  %s%n", "KEY ID", "AGENT", "STATE", "ENROLLED", "UNTIL");
                Instant now = Instant.now();
                for (TrustedKey k : trust.list()) {
                    Instant until = k.revoked() != null ? k.revoked() : k.expires();
                    out.printf("%-16s  %-32s  %-8s  %-20s  %s%n", k.keyId(), k.agentId(), k.state(now),
                            k.enrolled().toString().substring(0, 19), until == null ? "-" : until.toString());
                }
                trust.brokenFiles().forEach(f -> out.println("unreadable key file (not trusted): " + f));
            }
            case "enroll" -> {
                TrustedKey k = trust.enroll(require(target, "agent id"), Ed25519Keys.decodePublic(require(publicKey, "public key")));
                out.println("enrolled key " + k.keyId() + " for agent " + k.agentId());
            }
            case "rotate" -> {
                TrustedKey k = trust.rotate(require(target, "agent id"), Ed25519Keys.decodePublic(require(publicKey, "public key")),
                        Duration.ofHours(graceHours));
                out.println("enrolled key " + k.keyId() + " for agent " + k.agentId()
                        + "; its older keys stay valid for " + graceHours + " h");
            }
            case "revoke" -> {
                TrustedKey k = trust.revoke(require(target, "key id"));
                out.println("revoked key " + k.keyId() + " of agent " + k.agentId());
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "': list, enroll, rotate or revoke");
        }
        return null;
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return value;
    }
}
