package io.amoskys.metrics;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The container's JVM and process, under the names Prometheus' own Java client uses
 * ({@code jvm_*}, {@code process_*}), so existing JVM dashboards work unchanged.
 */
final class JvmMetrics {
    private static final ObjectName OPERATING_SYSTEM = objectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);

    private JvmMetrics() {}

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("the JDK's own MBean name is malformed: " + name, e);
        }
    }

    static void write(PrometheusText text) {
        text.gauge("jvm_memory_bytes_used", "Used bytes of a JVM memory area")
                .gauge("jvm_memory_bytes_committed", "Committed bytes of a JVM memory area")
                .gauge("jvm_memory_bytes_max", "Most bytes a JVM memory area may use (-1 if undefined)")
                .gauge("jvm_memory_pool_bytes_used", "Used bytes of a JVM memory pool")
                .gauge("jvm_buffer_pool_used_bytes", "Used bytes of a JVM buffer pool (direct, mapped)")
                .counter("jvm_gc_collection_seconds_count", "Collections of a garbage collector")
                .counter("jvm_gc_collection_seconds_sum", "Seconds a garbage collector spent collecting")
                .gauge("jvm_threads_current", "Live threads")
                .gauge("jvm_threads_daemon", "Live daemon threads")
                .gauge("jvm_threads_peak", "Most live threads since the JVM started")
                .gauge("jvm_classes_currently_loaded", "Classes loaded now")
                .counter("process_cpu_seconds_total", "CPU seconds the process used")
                .gauge("process_start_time_seconds", "When the process started, in seconds since the epoch")
                .gauge("process_open_fds", "Open file descriptors")
                .gauge("process_max_fds", "Most file descriptors the process may open");

        memory(text, "heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        memory(text, "nonheap", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getUsage();
            if (usage != null) {
                text.sample("jvm_memory_pool_bytes_used", usage.getUsed(), "pool", pool.getName());
            }
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            text.sample("jvm_buffer_pool_used_bytes", pool.getMemoryUsed(), "pool", pool.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collection_seconds_count", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
            text.sample("jvm_gc_collection_seconds_sum", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        text.sample("jvm_threads_current", threads.getThreadCount());
        text.sample("jvm_threads_daemon", threads.getDaemonThreadCount());
        text.sample("jvm_threads_peak", threads.getPeakThreadCount());
        text.sample("jvm_classes_currently_loaded", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        text.sample("process_start_time_seconds", runtime.getStartTime() / 1000.0);
        // Read as MBean attributes: the com.sun.management interfaces need not be visible to a bundle.
        long cpuNanos = operatingSystem("ProcessCpuTime");
        if (cpuNanos >= 0) {
            text.sample("process_cpu_seconds_total", cpuNanos / 1e9);
        }
        long open = operatingSystem("OpenFileDescriptorCount");
        if (open >= 0) {
            text.sample("process_open_fds", open);
            text.sample("process_max_fds", operatingSystem("MaxFileDescriptorCount"));
        }
    }

    /** A numeric attribute of the JVM's OperatingSystem MBean, or -1 where this JVM or OS has none. */
    private static long operatingSystem(String attribute) {
        try {
            Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(OPERATING_SYSTEM, attribute);
            return value instanceof Number n ? n.longValue() : -1;
        } catch (JMException | RuntimeException e) {
            return -1;
        }
    }

    private static void memory(PrometheusText text, String area, MemoryUsage usage) {
        text.sample("jvm_memory_bytes_used", usage.getUsed(), "area", area);
        text.sample("jvm_memory_bytes_committed", usage.getCommitted(), "area", area);
        text.sample("jvm_memory_bytes_max", usage.getMax(), "area", area);
    }
}
