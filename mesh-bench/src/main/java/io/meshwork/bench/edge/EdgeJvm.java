package io.meshwork.bench.edge;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@link EdgeProcess} child JVM and the memory figures read off it. */
final class EdgeJvm implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("EDGE READY http=(\\d+) mqtt=(-?\\d+)");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final int httpPort;
    private final int mqttPort;

    private EdgeJvm(Process process, int httpPort, int mqttPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.mqttPort = mqttPort;
    }

    static EdgeJvm start(String region, String bootstrapServers) throws Exception {
        return start(region, bootstrapServers, List.of());
    }

    /** @param options further {@link EdgeProcess} arguments (the delivery mode) */
    static EdgeJvm start(String region, String bootstrapServers, List<String> options) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                EdgeProcess.class.getName(), region, bootstrapServers));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return new EdgeJvm(process, Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2)));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("edge JVM exited before it was ready (exit " + process.waitFor() + ")");
    }

    int httpPort() {
        return httpPort;
    }

    int mqttPort() {
        return mqttPort;
    }

    /** CPU time the edge JVM has spent (user + system, every thread), nanoseconds. */
    long cpuNanos() {
        return io.meshwork.bench.harness.CpuMeter.cpuNanosOf(process.pid());
    }

    /** Resident set size, bytes. */
    long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** Used heap right after a full GC in the edge JVM, bytes (through jcmd, which ships with the JDK). */
    long heapAfterGcBytes() throws Exception {
        jcmd("GC.run");
        Matcher used = USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info gave no used heap");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Process jcmd = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** The soft limit on open files of this JVM (the child inherits it). */
    /** Descriptors this JVM holds open now (the embedded mesh's segments and sockets included). */
    static long openDescriptors() throws Exception {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
    }

    static long openFileLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                List<String> parts = List.of(line.trim().split("\\s+"));
                return parts.get(3).equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts.get(3));
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
