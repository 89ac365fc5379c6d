package io.amoskys.core.component;

import io.amoskys.api.Detector;
import io.amoskys.api.PluginKind;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.core.component.EventBatch.Item;
import io.amoskys.core.component.PluginInvoker.Carried;
import io.amoskys.core.plugins.Plugin;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one plugin for every event of an {@link EventBatch}, as {@link PluginInvoker} calls it for
 * one exchange's, and counts per event: an event the plugin answers nothing for is filtered, one it
 * throws on is dead-lettered alone; both drop out of the batch that goes on.
 */
final class BatchInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchInvoker.class);

    private BatchInvoker() {}

    /**
     * A detector step gets here only unbatched ({@code batchSize=1}): each vector is scored alone,
     * as that option says; batched ones go through {@link #score}.
     *
     * @return what goes on to the next step (possibly no events)
     */
    static EventBatch invoke(PluginKind kind, Plugin plugin, EventBatch batch, String uri, AlertAdmission admission,
            AlertFilter filter, EndpointCounters counters) {
        counters.delivered.add(batch.size());
        List<Item> kept = new ArrayList<>(batch.size());
        for (Item item : batch.items()) {
            Carried carried = new Carried(item.body(), item.event(), item.vector(), item.responses());
            try {
                Object result = PluginInvoker.invoke(kind, plugin.service(), carried, uri, admission, filter);
                if (result == null) {
                    counters.filtered.increment();
                } else {
                    kept.add(new Item(item.logged(), result, carried.vector, carried.responses));
                }
            } catch (Throwable e) {
                fail(batch, item, uri, plugin.bundle(), e, counters);
            }
        }
        return batch.next(kept);
    }

    /**
     * Scores the vectors of these batches together, at most {@code maxRows} to a
     * {@link Detector#scoreAll} call; where a call fails, its vectors are scored one by one, so a
     * bad vector fails only its own event.
     *
     * @return for each batch given, in order, the batch of its scores
     */
    static List<EventBatch> score(Detector detector, String bundle, List<EventBatch> batches, int maxRows, String uri,
            EndpointCounters counters) {
        int total = 0;
        for (EventBatch batch : batches) {
            total += batch.size();
        }
        int[] owners = new int[total]; // which batch each vector came from
        List<Item> items = new ArrayList<>(total);
        List<FeatureVector> vectors = new ArrayList<>(total);
        for (int b = 0; b < batches.size(); b++) {
            EventBatch batch = batches.get(b);
            for (Item item : batch.items()) {
                if (item.body() instanceof FeatureVector vector) {
                    owners[vectors.size()] = b;
                    items.add(item);
                    vectors.add(vector);
                } else {
                    fail(batch, item, uri, bundle, PluginInvoker.wrongBody(uri, "a FeatureVector", item.body()), counters);
                }
            }
        }
        Object[] results = new Object[vectors.size()]; // a Score, a Throwable, or null (nothing to say)
        for (int from = 0; from < vectors.size(); from += maxRows) {
            int to = (int) Math.min(vectors.size(), (long) from + maxRows);
            scoreRange(detector, vectors, from, to, results, uri);
        }
        List<List<Item>> kept = new ArrayList<>(batches.size());
        batches.forEach(b -> kept.add(new ArrayList<>(b.size())));
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof Score score) {
                kept.get(owners[i]).add(items.get(i).with(score));
            } else if (results[i] instanceof Throwable failure) {
                fail(batches.get(owners[i]), items.get(i), uri, bundle, failure, counters);
            } else {
                counters.filtered.increment();
            }
        }
        List<EventBatch> next = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
            next.add(batches.get(b).next(kept.get(b)));
        }
        return next;
    }

    private static void scoreRange(Detector detector, List<FeatureVector> vectors, int from, int to, Object[] results, String uri) {
        List<FeatureVector> rows = vectors.subList(from, to);
        try {
            List<Score> scores = detector.scoreAll(rows);
            if (scores == null || scores.size() != rows.size()) {
                throw new IllegalStateException("scoreAll returned " + (scores == null ? "null" : scores.size() + " scores")
                        + " for " + rows.size() + " vectors");
            }
            for (int i = from; i < to; i++) {
                results[i] = scores.get(i - from);
            }
            return;
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                throw e; // out of memory: nothing here can help
            }
        } catch (Throwable e) {
            LOG.debug("{}: scoreAll failed on {} vectors ({}); scoring them one by one", uri, rows.size(), e.toString());
        }
        for (int i = from; i < to; i++) {
            try {
                results[i] = detector.score(vectors.get(i));
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError vmError && !(e instanceof StackOverflowError)) {
                    throw vmError;
                }
                results[i] = e;
            }
        }
    }

    private static void fail(EventBatch batch, Item item, String uri, String bundle, Throwable failure,
            EndpointCounters counters) {
        if (failure instanceof VirtualMachineError vmError && !(failure instanceof StackOverflowError)) {
            throw vmError; // out of memory: nothing here can help
        }
        counters.failed.increment();
        batch.failed(item, new PluginFailedException(uri, bundle, failure));
    }
}
