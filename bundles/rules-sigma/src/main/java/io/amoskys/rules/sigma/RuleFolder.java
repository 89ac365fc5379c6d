package io.amoskys.rules.sigma;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule folder ({@code etc/amoskys/rules/} by default): its {@code .yml} and {@code .yaml}
 * files load at start and again when added, changed or removed, once the folder has been quiet
 * for 250 ms (editors write in several steps). A file whose content did not change is not
 * reloaded, so its correlations keep their state.
 */
final class RuleFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuleFolder.class);
    private static final long SETTLE_MILLIS = 250;

    private final Path folder;
    private final SigmaEngine engine;
    private final WatchService watchService;
    private final Thread watcher;
    private final Map<String, String> applied = new HashMap<>();

    RuleFolder(Path folder, SigmaEngine engine) throws IOException {
        this.folder = folder;
        this.engine = engine;
        Files.createDirectories(folder);
        this.watchService = folder.getFileSystem().newWatchService();
        folder.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        sync();
        this.watcher = new Thread(this::watch, "amoskys-rule-watcher");
        watcher.setDaemon(true);
        watcher.start();
        LOG.info("Watching rule folder {}", folder.toAbsolutePath());
    }

    Path folder() {
        return folder;
    }

    /** Brings the engine in step with the folder's files. */
    synchronized void sync() {
        Set<String> present = new HashSet<>();
        Map<String, String> changed = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{yml,yaml}")) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                String key = file.toString();
                present.add(key);
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    LOG.warn("Cannot read rule file {}: {}", file, e.toString());
                    continue;
                }
                if (!text.equals(applied.get(key))) {
                    changed.put(key, text);
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list rule folder {}: {}", folder, e.toString());
            return;
        }
        if (!changed.isEmpty()) {
            var refused = engine.load(changed, -1);
            applied.putAll(changed);
            LOG.info("Rule files {} loaded: {} refusals, {} rules in force", changed.keySet(), refused.size(), engine.size());
        }
        for (String key : Set.copyOf(applied.keySet())) {
            if (!present.contains(key)) {
                applied.remove(key);
                engine.unload(key);
                LOG.info("Rule file {} removed: {} rules in force", key, engine.size());
            }
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                key.pollEvents();
                key.reset();
                WatchKey more;
                while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                try {
                    sync();
                } catch (RuntimeException e) {
                    LOG.error("Reloading the rule folder {} failed: {}", folder, e.toString(), e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        watchService.close();
        watcher.interrupt();
        try {
            watcher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
