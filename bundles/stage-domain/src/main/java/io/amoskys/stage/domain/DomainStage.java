package io.amoskys.stage.domain;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.AppendingStage;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.EntityTableMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Stage {@code domain}: security knowledge as features, per kind ({@link FlowDomain},
 * {@link DnsDomain}, {@link ArpDomain}, {@link ProcessDomain}, {@link SensorDomain}); per-entity
 * state is capped and idle entities forgotten like every stage's.
 *
 * <p>Each kind of state (a host's flows, a service, an address pair, a DNS client, a segment ...)
 * has a table and a cap of its own. A port scan or a sweep makes a new service or pair with
 * nearly every flow; in one shared table those would push out every host's state, new-destination
 * memory included, so that after a sweep any host's next flows would look like a fresh host's.
 */
@Component(service = {FeatureStage.class, FeatureSet.class, MetricsSource.class}, configurationPid = DomainStage.PID)
@PluginName(DomainStage.NAME)
@Designate(ocd = DomainStage.Config.class)
public class DomainStage extends AppendingStage implements MetricsSource {
    static final String PID = "io.amoskys.stage.domain";
    static final String NAME = "domain";
    static final int VERSION = 2;

    @ObjectClassDefinition(name = "AMOSKYS domain feature stage")
    public @interface Config {
        @AttributeDefinition(description = "Most entities followed at once in each of the stage's tables (hosts' flows, "
                + "services, address pairs, DNS clients, segments' ARP and DHCP, processes, sensors); the least recently seen "
                + "goes first")
        int maxEntities() default 10_000;

        @AttributeDefinition(description = "Minutes (wall clock) without an event after which an entity is forgotten "
                + "(its new-destination memory with it)")
        int idleMinutes() default 120;

        @AttributeDefinition(description = "Time zone of working hours (an IANA zone id such as Europe/Berlin)")
        String zone() default "UTC";

        @AttributeDefinition(description = "Working hours, start-end in whole hours (07-19: from 07:00 to 18:59)")
        String workHours() default "07-19";

        @AttributeDefinition(description = "Working days: a range (MON-FRI) or a list (MON,TUE,WED)")
        String workDays() default "MON-FRI";
    }

    private final Config config;
    /** Per event kind, the views that add its columns, in column order, each with its state's table. */
    private final Map<String, List<View<?>>> kinds;
    private final List<FeatureDefinition> definitions;
    /** Per state space ({@link DomainKind#space}), its table, in the kinds' order. */
    private final Map<String, EntityTable<Object>> tables = new LinkedHashMap<>();

    /** A kind and the table its state lives in. */
    private record View<S>(DomainKind<S> kind, EntityTable<Object> table) {}

    @Activate
    public DomainStage(Config config) {
        super(NAME, VERSION, "Security knowledge: failed and half-open connections, fan-out entropy, new destinations, logins, the load on a flow's service and address pair, "
                + "DNS name shape, ARP bindings, DHCP floods, process spawning, physical ranges, working hours.");
        this.config = config;
        WorkingTime work = WorkingTime.parse(config.zone(), config.workHours(), config.workDays());
        List<DomainKind<?>> all = List.of(new FlowDomain(work), new ServiceDomain(), new PairDomain(), new DnsDomain(), new ArpDomain(), new DhcpDomain(),
                new ProcessDomain(work), new SensorDomain());
        long idleNanos = config.idleMinutes() * 60_000_000_000L;
        this.kinds = all.stream()
                .map(k -> new View<>(k, tables.computeIfAbsent(k.space(), space -> new EntityTable<>(config.maxEntities(), idleNanos))))
                .collect(Collectors.groupingBy(v -> v.kind().kind(), Collectors.toUnmodifiableList()));
        this.definitions = all.stream().flatMap(k -> k.definitions().stream()).toList();
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        List<View<?>> views = kinds.get(event.kind());
        if (views == null) {
            return null;
        }
        long clock = System.nanoTime(); // one reading of the wall clock serves all the views of the event
        if (views.size() == 1) {
            return compute(views.get(0), event, current, clock);
        }
        double[][] parts = new double[views.size()][];
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = compute(views.get(i), event, current, clock);
            length += parts[i].length;
        }
        double[] columns = new double[length];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, columns, at, part.length);
            at += part.length;
        }
        return columns;
    }

    private static <S> double[] compute(View<S> view, TelemetryEvent event, FeatureVector current, long clock) {
        S state = view.kind().state(view.table(), event, current, clock);
        synchronized (state) {
            return view.kind().compute(event, current, state);
        }
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return definitions;
    }

    @Override
    public FeatureStage detached() {
        return new DomainStage(config);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        EntityTableMetrics.write(NAME, tables, out);
    }
}
