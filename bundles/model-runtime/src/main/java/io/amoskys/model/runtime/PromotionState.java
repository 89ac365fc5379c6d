package io.amoskys.model.runtime;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
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
    /** Why the file could not be read; then it is never written over, so that no other decision is lost. */
    private final String unreadable;

    PromotionState(Path file) {
        this.file = file;
        String problem = null;
        if (Files.exists(file)) {
            // Lenient decoding: a byte that is no UTF-8 (a hand edit) costs its own entry at most.
            try (Reader in = new StringReader(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))) {
                decisions.load(in);
            } catch (IOException | IllegalArgumentException e) {
                decisions.clear(); // none of it, rather than the lines before the damage
                problem = e.toString();
                LOG.error("Cannot read the model promotion state {} ({}): the first version of each model to start "
                        + "becomes active, and the file is left as it is until it is fixed or removed", file, problem);
            }
        }
        this.unreadable = problem;
    }

    synchronized Decision decision(String name) {
        return new Decision(decisions.getProperty(name + ".active"), decisions.getProperty(name + ".previous"));
    }

    /** @throws UncheckedIOException when the decision cannot be kept, naming why */
    synchronized void record(String name, String active, String previous) {
        if (unreadable != null) {
            throw new UncheckedIOException("cannot keep the promotion in " + file + ": it could not be read (" + unreadable
                    + "), and writing it would lose the decisions it holds; fix or remove it", new IOException(unreadable));
        }
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
