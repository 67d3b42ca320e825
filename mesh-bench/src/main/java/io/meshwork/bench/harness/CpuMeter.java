package io.meshwork.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the embedded mesh by component: the CPU time of every live thread of this JVM,
 * grouped by what its name says it belongs to, plus the embedded PostgreSQL's processes (children
 * of this JVM). The harness's own load clients run in the same JVM and are reported apart as
 * {@link #LOAD_CLIENTS}, so the mesh's cost is the sum of the other groups. The JVM's own threads
 * (GC, JIT) are not Java threads: their share is the process's CPU time less its Java threads'.
 *
 * <p>Threads that start and end between two readings are not seen; the figures are therefore a
 * lower bound, close for the mesh, whose threads live as long as it does.
 */
public final class CpuMeter {

    /** The group of the harness's own clients (publishers, subscribers, the pacer). */
    public static final String LOAD_CLIENTS = "load clients (harness)";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

    static {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
    }

    private CpuMeter() {
    }

    /** A reading: CPU nanoseconds per thread id (with its group) and of the child processes. */
    public record Reading(long wallNanos, long processNanos, Map<Long, Long> cpuByThread, Map<Long, String> groupByThread,
                          long childrenNanos) {

        /** CPU nanoseconds per group spent between {@code before} and this reading. */
        public Map<String, Long> since(Reading before) {
            Map<String, Long> byGroup = new TreeMap<>();
            long[] threads = {0};
            cpuByThread.forEach((id, cpu) -> {
                long spent = Math.max(0, cpu - before.cpuByThread.getOrDefault(id, 0L));
                threads[0] += spent;
                byGroup.merge(groupByThread.get(id), spent, Long::sum);
            });
            // GC and JIT threads are not Java threads; what the process spent beyond its Java threads is theirs.
            byGroup.put("JVM: GC, JIT, threads that ended", Math.max(0, processNanos - before.processNanos - threads[0]));
            byGroup.merge("postgresql (processes)", Math.max(0, childrenNanos - before.childrenNanos), Long::sum);
            return byGroup;
        }

        /** The mesh's CPU (every group but the load clients) between {@code before} and now, in nanoseconds. */
        public long meshNanosSince(Reading before) {
            return since(before).entrySet().stream().filter(e -> !e.getKey().equals(LOAD_CLIENTS))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** Reads every live thread's CPU time now. */
    public static Reading read() {
        long[] ids = THREADS.getAllThreadIds();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        Map<Long, String> groups = new LinkedHashMap<>();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long time = THREADS.getThreadCpuTime(ids[i]);
            if (time < 0 || infos[i] == null) {
                continue;
            }
            cpu.put(ids[i], time);
            groups.put(ids[i], group(infos[i].getThreadName()));
        }
        return new Reading(System.nanoTime(), processCpuNanos(), cpu, groups, childrenCpuNanos());
    }

    /** The component a thread belongs to, from its name. */
    static String group(String thread) {
        String name = thread.toLowerCase(Locale.ROOT);
        if (name.startsWith("bench") || name.startsWith("httpclient@") || name.startsWith("websocketclient@")
                || name.startsWith("mqtt ") || name.equals("main") || name.contains("| producer-")
                || name.startsWith("paho") || name.contains("bench")) {
            return LOAD_CLIENTS;
        }
        if (name.contains("meshwork-router") || name.startsWith("router-") || name.startsWith("spool-")) {
            return "router (Kafka Streams)";
        }
        if (name.startsWith("edge-") || name.contains("| edge-") || name.startsWith("jettyserverthreadpool")
                || name.startsWith("qtp") || name.startsWith("grpc") || name.startsWith("mqtt-")
                || name.contains("hivemq") || name.startsWith("extension-") || name.startsWith("websocket@")
                || name.startsWith("scheduler-") || name.startsWith("connector-mqtt")) {
            return "edge";
        }
        if (name.startsWith("task-thread") || name.contains("mirror") || name.startsWith("control-") && name.contains("->")
                || name.startsWith("rtt-probe") || name.contains("connector-") || name.startsWith("kafkabasedlog")
                || name.contains("| connect") || name.startsWith("links-") || name.startsWith("push-")) {
            return "links (MirrorMaker 2 / control channels)";
        }
        if (name.startsWith("control-plane") || name.startsWith("hikari") || name.startsWith("link-drills")
                || name.startsWith("javalin") || name.contains("control-plane")) {
            return "control plane";
        }
        if (name.startsWith("wan-")) {
            return "WAN emulator";
        }
        if (name.startsWith("heartbeat") || name.startsWith("trace") || name.contains("| heartbeats") || name.contains("| traces")) {
            return "heartbeats and traces";
        }
        return "Kafka brokers and other";
    }

    /** CPU time of this JVM's descendant processes (the embedded PostgreSQL), from /proc. */
    private static long childrenCpuNanos() {
        return ProcessHandle.current().descendants().mapToLong(p -> cpuNanosOf(p.pid())).sum();
    }

    /** CPU time (user + system) of process {@code pid} so far, from /proc; 0 when it is gone. */
    public static long cpuNanosOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Process CPU time of this JVM (every thread, GC and JIT included), in nanoseconds; -1 when unknown. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
