package io.meshwork.launcher.internal;

import io.meshwork.core.config.ConfigSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One extra edge of a region run as a child JVM ({@code mesh edge ... --exit-with-parent}), so
 * that it can be killed on its own ({@code kill -9}) as a failover drill does. Its output lines go
 * to a consumer with a prefix naming it; it exits when the process that started it ends.
 */
public final class EdgeProcess implements AutoCloseable {

    /** The ports of one edge. */
    public record Ports(int http, int grpc, int mqtt) {
        public Ports {
            for (int port : new int[] {http, grpc, mqtt}) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("edge port out of range: " + port);
                }
            }
        }
    }

    private static final String READY = "EDGE READY";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private EdgeProcess(String name, Process process, Consumer<String> output) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(() -> pump(output), "output-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code mesh edge} for {@code region} in a new JVM with this JVM's classpath.
     *
     * @param name      how its output lines are prefixed, e.g. {@code edge us-east-1#1}
     * @param topology  the topology file the mesh runs, or {@code null} for the built-in one
     * @param settings  further edge keys ({@code --set key=value})
     */
    public static EdgeProcess start(String name, String region, String bootstrapServers, String host, Ports ports,
                                    Path topology, Map<String, String> settings, Consumer<String> output) {
        return start(name, region, bootstrapServers, host, ports, topology, settings, Map.of(), output);
    }

    /**
     * As {@link #start(String, String, String, String, Ports, Path, Map, Consumer)}, with
     * {@code privateSettings} passed as the child's {@code MESH_*} environment variables rather than
     * as flags: a command line is readable by every user of the host, a process's environment only
     * by its owner, so key store passwords go there.
     */
    public static EdgeProcess start(String name, String region, String bootstrapServers, String host, Ports ports,
                                    Path topology, Map<String, String> settings, Map<String, String> privateSettings,
                                    Consumer<String> output) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), "io.meshwork.launcher.cli.MeshCli", "edge", "--exit-with-parent",
                "--region", region, "--kafka", bootstrapServers, "--host", host,
                "--port", Integer.toString(ports.http()), "--grpc-port", Integer.toString(ports.grpc()),
                "--mqtt-port", Integer.toString(ports.mqtt())));
        if (topology != null) {
            command.addAll(List.of("--topology", topology.toString()));
        }
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            privateSettings.forEach((key, value) -> builder.environment().put(ConfigSchema.environmentVariable(key), value));
            Process process = builder.start();
            return new EdgeProcess(name, process, Objects.requireNonNull(output, "output"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Surefire may run tests from a manifest-only jar; this property then holds the real path. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void pump(Consumer<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(READY)) {
                    ready.complete(line);
                }
                output.accept("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // The process is gone; its exit is what matters.
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
    }

    /**
     * Waits for the edge's READY line.
     *
     * @return the line, which names its ports
     */
    public String awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage() + " (exit code "
                    + (process.isAlive() ? "none yet" : process.exitValue()) + ")", e.getCause());
        }
    }

    /** The ports the READY line names (useful when started on port 0). */
    public Ports readyPorts() {
        String line = ready.getNow(null);
        if (line == null) {
            throw new IllegalStateException(name + " is not ready");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http=\\S*:(\\d+) grpc=(\\d+) mqtt=(\\d+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException(name + " printed a READY line without its ports: " + line);
        }
        return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** {@code kill -9}: the edge gets no chance to withdraw its interest or say goodbye. Waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** SIGTERM without waiting: the edge stops cleanly; {@link #close} then waits for it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM (the edge stops cleanly), SIGKILL after a grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
