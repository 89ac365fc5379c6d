package io.amoskys.model.iforest.command;

import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.model.format.ModelSignature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell command as Karaf would call it: its options' defaults, its refusals, its output. */
class TrainCommandTest {
    @TempDir
    Path out;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private TrainCommand command(String from) throws Exception {
        TrainCommand command = new TrainCommand();
        command.algorithm = "iforest";
        command.from = from;
        command.out = out.toString();
        command.sets = Stages.all();
        command.decoder = Stages.flowAgent();
        command.signer = ModelSignature.signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        command.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getConsole") ? print : null);
        return command;
    }

    @Test
    void trainsWithTheDefaultsAndSaysWhatItWrote() throws Exception {
        command(Stages.CAPTURES.resolve("zeek_modbusSmall.pcap").toString()).execute();
        assertTrue(Files.isRegularFile(out.resolve("iforest-1.0.0.jar")));
        String said = console.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("model iforest 1.0.0: 19 vectors x "), said);
        assertTrue(said.contains("100 trees of 19 rows"), said);
    }

    @Test
    void refusesAnUnknownAlgorithmAndWorksOnlyWithASigner() throws Exception {
        TrainCommand unknown = command(Stages.CAPTURES.toString());
        unknown.algorithm = "xgboost";
        assertThrows(IllegalArgumentException.class, unknown::execute);
        TrainCommand unsigned = command(Stages.CAPTURES.toString());
        unsigned.signer = null;
        IllegalStateException e = assertThrows(IllegalStateException.class, unsigned::execute);
        assertTrue(e.getMessage().contains("model runtime"), e.getMessage());
        assertEquals(0, Files.list(out).count());
    }
}
