package io.amoskys.bus.grpc;

import io.amoskys.api.admin.MetricsSource;
import io.amoskys.bus.Ingest;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote ingest: runs the gRPC server in front of the bus's {@link Ingest} while the TLS files
 * exist, and registers its metrics while it listens. Without them it logs how to make them and
 * waits; a configuration change or {@code amoskys:certs init} ({@link #restart()}) tries again.
 * The component is a service of its own class only so that amoskys:certs can reach it.
 */
@Component(service = GrpcIngestComponent.class, configurationPid = GrpcIngestComponent.PID, immediate = true)
@Designate(ocd = GrpcIngestComponent.Config.class)
public class GrpcIngestComponent {
    public static final String PID = "io.amoskys.bus.grpc";
    public static final String DEFAULT_TLS_DIR = "${karaf.etc}/amoskys/tls";
    private static final Logger LOG = LoggerFactory.getLogger(GrpcIngestComponent.class);

    @ObjectClassDefinition(name = "AMOSKYS remote ingest (gRPC, mutual TLS)",
            description = "Agents outside the container publish signed envelopes here; only clients with a "
                    + "certificate from the AMOSKYS CA (amoskys:certs) are served.")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on")
        String host() default "0.0.0.0";

        @AttributeDefinition(description = "TCP port")
        int port() default 9443;

        @AttributeDefinition(description = "Folder of ca.crt, server.crt and server.key (amoskys:certs init makes them)")
        String tlsDir() default DEFAULT_TLS_DIR;

        @AttributeDefinition(description = "Most envelopes one stream may have unacknowledged")
        int window() default 256;

        @AttributeDefinition(description = "Most Publish streams open at once")
        int maxStreams() default 64;

        @AttributeDefinition(description = "Most Publish streams one agent (one certificate's common name) may have open at once")
        int maxStreamsPerAgent() default IngestServer.Settings.DEFAULT_MAX_STREAMS_PER_AGENT;

        @AttributeDefinition(description = "Seconds (10 or more) a connection may be silent before the server pings it; "
                + "a peer that does not answer within a tenth of that (at least 1 s) is dropped, freeing its streams")
        int keepAliveSeconds() default 30;
    }

    private final BundleContext context;
    private final Ingest ingest;
    private final GrpcMetrics metrics = new GrpcMetrics();
    private Config config;
    private IngestServer server;
    private ServiceRegistration<MetricsSource> registration;

    @Activate
    public GrpcIngestComponent(BundleContext context, Config config, @Reference Ingest ingest) {
        this.context = context;
        this.ingest = ingest;
        this.config = config;
        restart();
    }

    @Modified
    synchronized void modified(Config config) {
        this.config = config;
        restart();
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /** The TLS folder of the current configuration, with ${...} system properties filled in. */
    public synchronized Path tlsDir() {
        return Path.of(expand(config.tlsDir()));
    }

    /** Stops the server if it runs and starts it again if the TLS files are there; says what it did. */
    public synchronized String restart() {
        stop();
        Path dir = tlsDir();
        if (!CertificateAuthority.TlsFiles.in(dir).complete()) {
            String line = "Remote ingest (gRPC) is off: " + dir + " lacks ca.crt, server.crt or server.key;"
                    + " run amoskys:certs init to create them";
            LOG.warn(line);
            return line;
        }
        try {
            server = IngestServer.start(new IngestServer.Settings(config.host(), config.port(), dir, config.window(),
                    config.maxStreams(), config.maxStreamsPerAgent(), java.time.Duration.ofSeconds(config.keepAliveSeconds())),
                    ingest, metrics);
        } catch (Exception e) {
            String line = "Remote ingest (gRPC) could not start on " + config.host() + ":" + config.port() + ": " + e;
            LOG.error(line, e);
            return line;
        }
        registration = context.registerService(MetricsSource.class, metrics, new Hashtable<>());
        String line = "Remote ingest (gRPC, mutual TLS) listening on " + config.host() + ":" + server.port()
                + " with the CA in " + dir;
        LOG.info(line);
        return line;
    }

    private void stop() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** Fills in ${name} from system properties; karaf.etc falls back to "etc" outside Karaf. */
    public static String expand(String value) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fallback = "karaf.etc".equals(m.group(1)) ? "etc" : "";
            m.appendReplacement(out, Matcher.quoteReplacement(System.getProperty(m.group(1), fallback)));
        }
        return m.appendTail(out).toString();
    }
}
