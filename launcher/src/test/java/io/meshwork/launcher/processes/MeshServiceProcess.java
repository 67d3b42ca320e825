package io.meshwork.launcher.processes;

import static org.awaitility.Awaitility.await;

import io.meshwork.launcher.cli.MeshCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./mesh <command> ...} as its own JVM: the test's classpath and {@link MeshCli}'s main
 * class, a small heap and the serial collector, stdout and stderr in files under its directory.
 * {@link #awaitLine} waits for the command's READY line; {@link #kill()} is {@code kill -9},
 * {@link #stop()} is {@code kill} (SIGTERM, the command's shutdown hook runs).
 */
final class MeshServiceProcess implements AutoCloseable {

    /** Brokers and services alike: enough for the tests' load, small enough for a dozen JVMs on a CI machine. */
    static final String HEAP = "-Xmx320m";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private MeshServiceProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code mesh <args>} as a new JVM.
     *
     * @param name a short name for logs and messages, also the stem of its output files
     * @param dir  where its output files go (created if missing)
     */
    static MeshServiceProcess start(String name, Path dir, List<String> args) {
        try {
            Files.createDirectories(dir);
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-cp", classPath(), MeshCli.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            MeshServiceProcess started = new MeshServiceProcess(name, process, out, err);
            // If the test JVM dies without its @AfterAll, the child must not outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "reap-" + name));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": mesh " + String.join(" ", args), e);
        }
    }

    /** Surefire and failsafe may run tests from a manifest-only jar; this property then holds the real path. */
    private static String classPath() {
        return Optional.ofNullable(System.getProperty("surefire.test.class.path")).filter(p -> !p.isBlank())
                .orElse(System.getProperty("java.class.path"));
    }

    /**
     * Waits until the process prints a line starting with {@code prefix} on stdout.
     *
     * @return that line
     * @throws AssertionError with the end of its stderr, as soon as the process has exited
     */
    String awaitLine(String prefix, Duration timeout) {
        return await(name + " to print " + prefix).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> findLine(prefix), Optional::isPresent).orElseThrow();
    }

    private Optional<String> findLine(String prefix) throws IOException {
        Optional<String> line = lines(stdout).stream().filter(l -> l.startsWith(prefix)).findFirst();
        if (line.isEmpty() && !process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + " before printing " + prefix
                    + "; its stderr ends with:\n" + tail(stderr, 30));
        }
        return line;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    Path stdout() {
        return stdout;
    }

    Path stderr() {
        return stderr;
    }

    /**
     * Waits for the process to end by itself (a service that refuses to start).
     *
     * @return its exit code
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook, no flush, no goodbye to the cluster. Waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, then waits for the shutdown hook; SIGKILL if it takes longer than 30 s.
     *
     * @return the exit code
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /**
     * SIGTERM to all of them at once (a cluster's nodes stopped one by one would each wait for the
     * quorum the previous ones left), then SIGKILL to whoever is still there after the grace period.
     */
    static void stopAll(List<MeshServiceProcess> processes) {
        processes.forEach(p -> p.process.destroy());
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (MeshServiceProcess p : processes) {
            try {
                if (!p.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = lines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            // Read as bytes: the process may be half-way through writing a line.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
