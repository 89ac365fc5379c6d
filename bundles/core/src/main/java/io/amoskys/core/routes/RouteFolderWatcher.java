package io.amoskys.core.routes;

import io.amoskys.api.admin.RouteFileDTO;
import io.amoskys.api.admin.RouteFiles;
import io.amoskys.core.context.PlatformContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the platform's routes in step with the YAML files of the route folder
 * ({@code etc/amoskys/routes/} by default): loads them at start, and reloads a file when it is
 * added, changed or removed.
 */
@Component(immediate = true, configurationPid = RouteFolderWatcher.PID)
@Designate(ocd = RouteFolderWatcher.Config.class)
public class RouteFolderWatcher implements RouteFiles {
    static final String PID = "io.amoskys.routes";
    private static final Logger LOG = LoggerFactory.getLogger(RouteFolderWatcher.class);
    /** Editors write a file in several steps; changes are applied once they have been quiet this long. */
    private static final long SETTLE_MILLIS = 250;

    @ObjectClassDefinition(name = "AMOSKYS route files")
    public @interface Config {
        @AttributeDefinition(description = "Folder of YAML route files; empty means etc/amoskys/routes")
        String directory() default "";
    }

    private final Path folder;
    private final RouteFileLoader loader;
    private final WatchService watchService;
    private final Thread watcher;
    /** The content last applied per file, so that touching a file does not restart its routes. */
    private final Map<String, String> applied = new HashMap<>();

    @Activate
    public RouteFolderWatcher(Config config,
            @Reference(target = "(" + PlatformContext.CONTEXT_PROPERTY + "=" + PlatformContext.CONTEXT_NAME + ")")
            CamelContext camel) throws IOException {
        this.folder = config.directory().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "amoskys", "routes")
                : Path.of(config.directory());
        Files.createDirectories(folder);
        this.loader = new RouteFileLoader(camel);
        this.watchService = folder.getFileSystem().newWatchService();
        folder.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        syncAll(false);
        this.watcher = new Thread(this::watch, "amoskys-route-watcher");
        watcher.setDaemon(true);
        watcher.start();
        LOG.info("Watching route folder {}", folder.toAbsolutePath());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.warn("Closing the route folder watch: {}", e.toString());
        }
        watcher.join(TimeUnit.SECONDS.toMillis(5));
        // Our routes go with us, so that a new folder (or the same one, after a configuration
        // change) starts from a clean slate.
        loader.close();
    }

    @Override
    public String directory() {
        return folder.toAbsolutePath().toString();
    }

    @Override
    public List<RouteFileDTO> files() {
        return loader.outcomes();
    }

    /** Changed, added and removed files are applied; rejected ones are tried again; the rest run on undisturbed. */
    @Override
    public List<RouteFileDTO> reloadAll() {
        syncAll(true);
        return loader.outcomes();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                Set<String> changed = new TreeSet<>();
                collect(key, changed);
                // Wait until the folder is quiet, gathering every file touched meanwhile.
                WatchKey more;
                while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    collect(more, changed);
                }
                changed.forEach(name -> sync(name, false));
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            LOG.debug("Route folder watch ended");
        } catch (RuntimeException e) {
            LOG.error("Route folder watch failed; route files are no longer reloaded until the core restarts", e);
        }
    }

    private static void collect(WatchKey key, Set<String> changed) {
        key.pollEvents().forEach(event -> {
            if (event.context() instanceof Path path && isRouteFile(path)) {
                changed.add(path.getFileName().toString());
            } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add("*");
            }
        });
        key.reset();
    }

    private synchronized void syncAll(boolean retryRejected) {
        Set<String> names = new TreeSet<>(loader.knownFiles());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (isRouteFile(file)) {
                    names.add(file.getFileName().toString());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list route folder {}: {}", folder, e.toString());
            return;
        }
        for (String name : new ArrayList<>(names)) {
            sync(name, retryRejected);
        }
    }

    private synchronized void sync(String name, boolean retryRejected) {
        if (name.equals("*")) {
            syncAll(retryRejected);
            return;
        }
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            applied.remove(name);
            loader.unload(name);
            return;
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("Cannot read route file {}: {}", file, e.toString());
            return;
        }
        boolean unchanged = content.equals(applied.get(name));
        if (unchanged && !(retryRejected && loader.rejected(name))) {
            return;
        }
        applied.put(name, content);
        loader.load(name, content);
    }

    private static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
    }
}
