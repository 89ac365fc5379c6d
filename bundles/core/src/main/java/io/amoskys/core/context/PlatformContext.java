package io.amoskys.core.context;

import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.admin.LogReplay;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import io.amoskys.api.admin.RouteDTO;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.bus.EventLog;
import io.amoskys.core.component.AmoskysComponent;
import io.amoskys.core.component.DeadLetters;
import io.amoskys.core.component.EventLogHolder;
import io.amoskys.core.component.PluginEndpoint;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.LanguageResolver;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one platform CamelContext. Starts it with the {@code amoskys:} component, publishes it as a
 * service (property {@value #CONTEXT_PROPERTY}={@value #CONTEXT_NAME}) for the route-file loader,
 * and answers status questions about it.
 */
@Component(immediate = true, configurationPid = PlatformContext.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PlatformContext.Config.class)
public class PlatformContext implements PlatformStatus, LogReplay {
    static final String PID = "io.amoskys.core";
    public static final String CONTEXT_PROPERTY = "amoskys.context";
    public static final String CONTEXT_NAME = "platform";
    private static final Logger LOG = LoggerFactory.getLogger(PlatformContext.class);

    @ObjectClassDefinition(name = "AMOSKYS core", description = "The platform Camel context and plugin endpoints")
    public @interface Config {
        @AttributeDefinition(description = "Messages that may wait per plugin endpoint while its plugin is missing; "
                + "past it they are dead-lettered. Routes may override it with ?holdCapacity=N.")
        int holdCapacity() default 10_000;

        @AttributeDefinition(description = "Most feature vectors a detector step scores in one call (Detector.scoreAll); "
                + "1 scores each alone. Routes may override it with ?batchSize=N.")
        int batchSize() default AmoskysComponent.DEFAULT_BATCH_SIZE;

        @AttributeDefinition(description = "Longest a vector waits, in milliseconds, for its detector batch to fill. "
                + "Routes may override it with ?maxDelay=N.")
        long maxDelay() default AmoskysComponent.DEFAULT_MAX_DELAY_MILLIS;

        @AttributeDefinition(description = "Dead-letter file; empty means data/amoskys/dead-letters.log")
        String deadLetterFile() default "";

        @AttributeDefinition(description = "Size at which the dead-letter file rolls over (one old file is kept)")
        long deadLetterMaxBytes() default 64L * 1024 * 1024;
    }

    private final PluginRegistry registry;
    private final CamelContext camel;
    private final AmoskysComponent component;
    private final DeadLetters deadLetters;
    private final RouteCounters counters = new RouteCounters();
    private final StepCounters stepCounters = new StepCounters();
    private final ServiceRegistration<CamelContext> registration;
    private final EventLogHolder eventLogs = new EventLogHolder();

    /**
     * The reference to Camel's "simple" language resolver orders us after the Camel extender has
     * registered the runtime's languages; without it a warm restart can start routes too early.
     */
    @Activate
    public PlatformContext(BundleContext bundleContext, Config config, @Reference PluginRegistry registry,
            @Reference(target = "(language=simple)") LanguageResolver simpleLanguage) throws Exception {
        this.registry = registry;
        this.deadLetters = new DeadLetters(deadLetterFile(config), config.deadLetterMaxBytes());
        this.component = new AmoskysComponent(registry, deadLetters, config.holdCapacity(), eventLogs);
        component.setDetectorBatching(config.batchSize(), config.maxDelay());
        OsgiDefaultCamelContext context = new OsgiDefaultCamelContext(bundleContext);
        context.getCamelContextExtension().setName("amoskys");
        context.addComponent(AmoskysComponent.SCHEME, component);
        context.getManagementStrategy().addEventNotifier(counters);
        context.getManagementStrategy().addEventNotifier(stepCounters);
        context.getCamelContextExtension().addInterceptStrategy(stepCounters);
        context.start();
        this.camel = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(CONTEXT_PROPERTY, CONTEXT_NAME);
        this.registration = bundleContext.registerService(CamelContext.class, context, props);
        LOG.info("Platform Camel context started (Camel {})", context.getVersion());
    }

    /** The bus bundle's log, followed as it comes and goes: bus routes wait while it is away. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventLog(EventLog log) {
        eventLogs.set(log);
    }

    void unsetEventLog(EventLog log) {
        eventLogs.clear(log);
    }

    /** The alert store, when installed: rules' alerts pass it before responders (docs/ALERTS.md). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlertStore(AlertStore store) {
        component.admission().set(store);
    }

    void unsetAlertStore(AlertStore store) {
        component.admission().clear(store);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        camel.stop();
        deadLetters.close();
        LOG.info("Platform Camel context stopped");
    }

    /** For the route-file loader: frees routes' waiting messages before those routes stop. */
    public AmoskysComponent component() {
        return component;
    }

    @Override
    public String replay(String consumer, java.time.Instant from, java.time.Instant to) throws InterruptedException {
        return component.replay(consumer, from, to);
    }

    @Override
    public List<PluginDTO> plugins() {
        return registry.all().stream().map(this::toDTO).toList();
    }

    @Override
    public List<RouteDTO> routes() {
        return camel.getRoutes().stream()
                .sorted(Comparator.comparing(Route::getRouteId))
                .map(this::toDTO)
                .toList();
    }

    @Override
    public List<EndpointDTO> endpoints() {
        return component.endpointStatus();
    }

    @Override
    public long deadLettered() {
        return component.deadLetteredTotal();
    }

    private PluginDTO toDTO(Plugin plugin) {
        PluginDTO dto = new PluginDTO();
        dto.kind = plugin.kind().uriName();
        dto.name = plugin.name();
        dto.bundle = plugin.bundle();
        dto.bundleId = plugin.bundleId();
        dto.serviceId = plugin.serviceId();
        dto.active = registry.isWinner(plugin);
        return dto;
    }

    private RouteDTO toDTO(Route route) {
        RouteDTO dto = new RouteDTO();
        dto.id = route.getRouteId();
        dto.source = route.getSourceResource() == null ? null : route.getSourceResource().getLocation();
        dto.state = camel.getRouteController().getRouteStatus(route.getRouteId()).name();
        dto.from = PluginEndpoint.displayUri(route.getEndpoint().getEndpointUri());
        dto.exchangesTotal = counters.total(route.getRouteId());
        dto.exchangesFailed = counters.failed(route.getRouteId());
        dto.exchangesInflight = camel.getInflightRepository().size(route.getRouteId());
        dto.steps = RouteSteps.of(camel, route.getRouteId(), stepCounters);
        return dto;
    }

    private static Path deadLetterFile(Config config) {
        if (!config.deadLetterFile().isBlank()) {
            return Path.of(config.deadLetterFile());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "amoskys", "dead-letters.log");
    }
}
