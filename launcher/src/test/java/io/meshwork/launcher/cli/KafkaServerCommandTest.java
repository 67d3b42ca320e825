package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mesh kafka-server} refuses bad input before any broker starts, with one line naming what is wrong. */
@Timeout(60)
class KafkaServerCommandTest {

    @TempDir
    Path dir;

    /** Runs the command in this JVM; returns its exit code and what it printed on stderr. */
    private static String[] run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new MeshCli()).execute(args);
            return new String[] {Integer.toString(code), captured.toString(StandardCharsets.UTF_8).trim()};
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nowhere.properties");

        String[] result = run("kafka-server", "--config", missing.toString());

        assertThat(result[0]).isEqualTo(Integer.toString(MeshCli.CONFIG_ERROR));
        assertThat(result[1]).isEqualTo("mesh kafka-server: " + missing + ": no such file");
    }

    @Test
    void formatWithoutClusterIdIsRefused() throws Exception {
        Path config = Files.writeString(dir.resolve("server.properties"), "node.id=1\n");

        String[] result = run("kafka-server", "--config", config.toString(), "--format");

        assertThat(result[0]).isEqualTo(Integer.toString(MeshCli.CONFIG_ERROR));
        assertThat(result[1]).isEqualTo("mesh kafka-server: --format needs --cluster-id");
    }

    @Test
    void malformedScramCredentialIsReportedWithTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller", "node.id=1", "controller.quorum.voters=1@127.0.0.1:1",
                "controller.listener.names=CONTROLLER", "listeners=CLIENT://127.0.0.1:0,CONTROLLER://127.0.0.1:1",
                "inter.broker.listener.name=CLIENT", "listener.security.protocol.map=CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dir=" + dir.resolve("logs"), ""));

        String[] result = run("kafka-server", "--config", config.toString(), "--format",
                "--cluster-id", "MkU3OEVBNTcwNTJENDM2Qg", "--add-scram", "SCRAM-SHA-256=[name=alice]");

        assertThat(result[0]).isEqualTo(Integer.toString(MeshCli.CONFIG_ERROR));
        assertThat(result[1]).startsWith("mesh kafka-server: Kafka config " + config + ": formatting the log dir failed")
                .contains("password").doesNotContain("\n");
    }

    @Test
    void invalidBrokerSettingIsReportedWithTheFileAndTheKey() throws Exception {
        Path config = Files.writeString(dir.resolve("server.properties"), "process.roles=broker,controller\nnode.id=1\nnum.io.threads=many\n");

        String[] result = run("kafka-server", "--config", config.toString());

        assertThat(result[0]).isEqualTo(Integer.toString(MeshCli.CONFIG_ERROR));
        assertThat(result[1]).startsWith("mesh kafka-server: " + config + ": ").contains("num.io.threads").doesNotContain("\n");
    }
}
