/**
 * Streaming statistics the feature stages share: small, bounded in memory, and free of allocation
 * when a value is added or a statistic read (except {@link io.amoskys.feature.stats.EntityTable}
 * when it creates an entity).
 *
 * <p>All times are event times in nanoseconds since the epoch, never the wall clock, so a replayed
 * capture yields the same features as live traffic. Events may arrive out of order; each class
 * states what it does with a late one. Values are expected to be finite: like arithmetic, a
 * statistic that is given NaN answers NaN.
 *
 * <p>Unless a class says otherwise it is not thread-safe: keep one per entity and use it under the
 * entity's lock.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.amoskys.feature.stats;
