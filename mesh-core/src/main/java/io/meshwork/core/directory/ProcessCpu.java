package io.meshwork.core.directory;

import java.lang.management.ManagementFactory;

/**
 * This process's CPU load, from the process's CPU time between two readings.
 *
 * <p>{@code OperatingSystemMXBean.getProcessCpuLoad()} re-reads the container's cgroup files on
 * every call when the JVM runs in a container (several files, buffered readers and regular
 * expressions each time): with six nodes heartbeating every second in the embedded mesh it was the
 * largest allocator of the idle JVM. The CPU time itself is one cheap system call.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static long lastCpuNanos = cpuNanos();
    private static long lastWallNanos = System.nanoTime();
    private static double lastPercent;

    private ProcessCpu() {
    }

    /**
     * The share of all cores this process used since the previous call that was at least
     * {@code minInterval} ago, in percent (0 when the JVM cannot tell). Calls in between get that
     * figure again, so any number of nodes in one process share one reading.
     */
    static synchronized double percent(long minIntervalNanos) {
        long now = System.nanoTime();
        long cpu = cpuNanos();
        if (cpu < 0) {
            return 0;
        }
        long wall = now - lastWallNanos;
        if (wall >= minIntervalNanos && wall > 0) {
            double share = (double) (cpu - lastCpuNanos) / ((double) wall * CORES);
            lastPercent = Math.min(100, Math.max(0, Math.round(share * 10_000) / 100.0));
            lastCpuNanos = cpu;
            lastWallNanos = now;
        }
        return lastPercent;
    }

    private static long cpuNanos() {
        return OS == null ? -1 : OS.getProcessCpuTime();
    }
}
