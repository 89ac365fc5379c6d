package io.amoskys.model.runtime;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's decisions, kept across restarts: per model name, the version last promoted (or
 * rolled back to) and the one it replaced. Without it a restart would make the first version to
 * start active again, undoing a promotion.
 */
final class PromotionState {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionState.class);

    /** @param active {@code null} when no decision was taken for the name */
    record Decision(String active, String previous) {
        static final Decision NONE = new Decision(null, null);
    }

    private final Path file;
    private final Properties decisions = new Properties(); // guarded by this

    PromotionState(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                decisions.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("Cannot read the model promotion state {} ({}): the first version of each model to start "
                        + "becomes active", file, e.getMessage());
            }
        }
    }

    synchronized Decision decision(String name) {
        return new Decision(decisions.getProperty(name + ".active"), decisions.getProperty(name + ".previous"));
    }

    synchronized void record(String name, String active, String previous) {
        decisions.setProperty(name + ".active", active);
        if (previous == null) {
            decisions.remove(name + ".previous");
        } else {
            decisions.setProperty(name + ".previous", previous);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            StringWriter text = new StringWriter();
            decisions.store(text, "AMOSKYS model promotions (amoskys:models promote / rollback)");
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the promotion in " + file + ": " + e.getMessage(), e);
        }
    }
}
