package io.meshwork.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A router run as its own JVM ({@code mesh router} from this test's classpath), as an operator
 * runs one: a drill can kill it with kill -9 semantics ({@link Process#destroyForcibly()}). Its
 * output goes to a log file, named in the failure if it never says {@code ROUTER READY}.
 */
final class RouterProcess {

    private RouterProcess() {
    }

    /**
     * Starts a router of {@code region} on {@code stateDir} and returns once it is running.
     *
     * @param leftovers where the log file is added, for the drill to delete
     */
    static Process start(String region, String bootstrapServers, Path stateDir, List<Path> leftovers) throws Exception {
        Path log = Files.createTempFile("meshwork-drill-router-", ".log");
        leftovers.add(log);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.meshwork.launcher.cli.MeshCli", "router",
                "--region", region, "--kafka", bootstrapServers, "--state-dir", stateDir.toString(),
                "--metrics-port", "0")
                .redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
                    if (line.contains("ROUTER READY")) {
                        ready.complete(true);
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }, "drill-router-output");
        reader.setDaemon(true);
        reader.start();
        assertThat(ready.get(90, TimeUnit.SECONDS)).as("router process ready (output in %s)", log).isTrue();
        return process;
    }
}
