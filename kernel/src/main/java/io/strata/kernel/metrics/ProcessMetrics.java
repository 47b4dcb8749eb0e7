package io.strata.kernel.metrics;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** The standard process_* and jvm_* metrics every Prometheus client exposes. */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    public static void register(MetricsRegistry r, String version) {
        var runtime = ManagementFactory.getRuntimeMXBean();
        var os = ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        double start = runtime.getStartTime() / 1000.0;
        r.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", () -> start);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            r.counterFunction("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    () -> sun.getProcessCpuTime() / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            r.gauge("process_open_fds", "Number of open file descriptors.", unix::getOpenFileDescriptorCount);
            r.gauge("process_max_fds", "Maximum number of open file descriptors.", unix::getMaxFileDescriptorCount);
        }
        r.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", () -> procStatus("VmRSS:"));
        r.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", () -> procStatus("VmSize:"));
        r.gauge(MetricsRegistry.key("jvm_memory_bytes_used", "area", "heap"), "Used bytes of a given JVM memory area.",
                () -> memory.getHeapMemoryUsage().getUsed());
        r.gauge(MetricsRegistry.key("jvm_memory_bytes_used", "area", "nonheap"), "Used bytes of a given JVM memory area.",
                () -> memory.getNonHeapMemoryUsage().getUsed());
        r.gauge(MetricsRegistry.key("jvm_memory_bytes_max", "area", "heap"), "Max bytes of a given JVM memory area.",
                () -> memory.getHeapMemoryUsage().getMax());
        r.gauge("jvm_threads_current", "Current thread count of the JVM.",
                () -> ManagementFactory.getThreadMXBean().getThreadCount());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            r.counterFunction(MetricsRegistry.key("jvm_gc_collection_seconds_total", "gc", gc.getName()),
                    "Time spent in a given JVM garbage collector in seconds.", () -> gc.getCollectionTime() / 1000.0);
            r.counterFunction(MetricsRegistry.key("jvm_gc_collections_total", "gc", gc.getName()),
                    "Number of collections of a given JVM garbage collector.", gc::getCollectionCount);
        }
        r.gauge(MetricsRegistry.key("strata_build_info", "version", version, "java_version", System.getProperty("java.version")),
                "A metric with a constant '1' value labeled by the Strata version and the Java version.", () -> 1);
    }

    private static double procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
