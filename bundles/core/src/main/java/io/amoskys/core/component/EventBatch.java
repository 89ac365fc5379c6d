package io.amoskys.core.component;

import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;

/**
 * The body of a batched bus route's exchanges ({@code amoskys:bus/NAME?batched=true}): the events
 * of one log batch, each with what the route's steps have made of it so far. One exchange per
 * batch instead of one per event spares each event Camel's per-exchange work (an exchange, its
 * unit of work, a copy per multicast branch, the error handler at every step), which costs more
 * than most plugins do.
 *
 * <p>A batch is never changed: a step hands on a new one without the items its plugin answered
 * nothing for or failed on, so the branches of a multicast, which share the body, do not see each
 * other's results. An item that fails is dead-lettered with its logged event, alone.
 */
public final class EventBatch {
    /**
     * Exchange property: how many events the exchange set out with, so that route counters count
     * events, not batches.
     */
    public static final String EVENTS_PROPERTY = "amoskys.events";

    /**
     * One event and what the steps made of it: {@code body} is what the next plugin takes (the
     * event, a vector, a score, alerts), {@code vector} the last stage's vector and
     * {@code responses} what the responders it passed did, as the per-event exchange properties
     * of {@link PluginInvoker} hold them.
     */
    record Item(LoggedEvent logged, Object body, FeatureVector vector, List<Response> responses) {
        TelemetryEvent event() {
            return logged.event();
        }

        Item with(Object newBody) {
            return new Item(logged, newBody, vector, responses);
        }
    }

    private final BusEndpoint source;
    private final List<Item> items;

    EventBatch(BusEndpoint source, List<Item> items) {
        this.source = source;
        this.items = List.copyOf(items);
    }

    static EventBatch of(BusEndpoint source, List<LoggedEvent> events) {
        Item[] items = new Item[events.size()];
        for (int i = 0; i < items.length; i++) {
            LoggedEvent logged = events.get(i);
            items[i] = new Item(logged, logged.event(), null, null);
        }
        return new EventBatch(source, List.of(items));
    }

    /** What goes on from here: the same source, these items. */
    EventBatch next(List<Item> kept) {
        return new EventBatch(source, kept);
    }

    List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** How many events a message body stands for: a batch its events, anything else one. */
    public static int events(Object body) {
        return body instanceof EventBatch batch ? batch.size() : 1;
    }

    /** An item's plugin failed on it: it is counted and dead-lettered at the bus endpoint, the others go on. */
    void failed(Item item, Throwable failure) {
        source.eventFailed();
        source.deadLetter(item.logged(), failure);
    }

    @Override
    public String toString() {
        return "EventBatch[" + items.size() + " events" + (items.isEmpty() ? "" : " from log offset " + items.get(0).logged().offset()) + "]";
    }
}
