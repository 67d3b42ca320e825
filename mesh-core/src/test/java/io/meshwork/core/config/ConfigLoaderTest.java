package io.meshwork.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final PassThrough NEIGHBOURS = new PassThrough("demo.neighbours.<region>.kafka.", "far clusters");

    private static final ConfigSchema SCHEMA = new ConfigSchema("demo", MeshKeys.common()
            .define("demo.http.port", Type.INT, 8080, Range.between(0, 65535), Importance.HIGH, "port")
            .define("demo.http.host", Type.STRING, "0.0.0.0", Importance.LOW, "host")
            .define("demo.commit.interval", Type.STRING, "10ms", ConfigSchema.duration(d -> d.toMillis() >= 1, "1ms or more"),
                    Importance.LOW, "commit interval")
            .define("demo.enabled", Type.BOOLEAN, true, Importance.LOW, "switch"),
            List.of(MeshKeys.KAFKA, NEIGHBOURS));

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void nestedAndDottedYamlKeysAreTheSameKeys() throws Exception {
        MeshConfig config = ConfigLoader.of(SCHEMA).file(file("""
                mesh: {region: us-east-1}
                demo:
                  http:
                    port: 18080
                demo.http.host: 127.0.0.1
                kafka:
                  bootstrap.servers: k1:9092,k2:9092
                  security:
                    protocol: SASL_SSL
                """)).load();

        assertThat(config.integer("demo.http.port")).isEqualTo(18080);
        assertThat(config.string("demo.http.host")).isEqualTo("127.0.0.1");
        assertThat(config.kafka().settings())
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void environmentBeatsTheFileAndFlagsBeatTheEnvironment() throws Exception {
        Path file = file("mesh.region: us-east-1\ndemo.http.port: 1\ndemo.http.host: from-file\nkafka.bootstrap.servers: k:9092\n");

        MeshConfig config = ConfigLoader.of(SCHEMA).file(file)
                .environment(Map.of("MESH_DEMO_HTTP_PORT", "2", "MESH_DEMO_HTTP_HOST", "from-env", "UNRELATED", "x"))
                .flags(Map.of("demo.http.port", "3"), "--set")
                .load();

        assertThat(config.integer("demo.http.port")).isEqualTo(3);
        assertThat(config.source("demo.http.port")).isEqualTo("--set");
        assertThat(config.string("demo.http.host")).isEqualTo("from-env");
        assertThat(config.source("demo.http.host")).isEqualTo("environment MESH_DEMO_HTTP_HOST");
        assertThat(config.integer("demo.http.port")).isEqualTo(3);
    }

    @Test
    void derivedDefaultsLoseToEverythingUsersWrite() {
        MeshConfig defaulted = ConfigLoader.of(SCHEMA).defaults(Map.of("demo.http.port", "18080"))
                .flags(Map.of("mesh.region", "us-east-1"), "--region").load();
        MeshConfig written = ConfigLoader.of(SCHEMA).defaults(Map.of("demo.http.port", "18080"))
                .flags(Map.of("mesh.region", "us-east-1", "demo.http.port", "9"), "--set").load();

        assertThat(defaulted.integer("demo.http.port")).isEqualTo(18080);
        assertThat(written.integer("demo.http.port")).isEqualTo(9);
    }

    @Test
    void environmentVariablesMapToKafkaKeysAndNamedClusters() {
        MeshConfig config = ConfigLoader.of(SCHEMA).environment(Map.of(
                        "MESH_MESH_REGION", "eu-west-1",
                        "MESH_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                        "MESH_KAFKA_SASL_JAAS_CONFIG", "secret",
                        "MESH_DEMO_NEIGHBOURS_US_EAST_1_KAFKA_BOOTSTRAP_SERVERS", "far:9092"))
                .load();

        assertThat(config.string("mesh.region")).isEqualTo("eu-west-1");
        assertThat(config.kafka().settings()).containsEntry("sasl.jaas.config", "secret");
        assertThat(config.kafkaByName(NEIGHBOURS)).containsOnlyKeys("us-east-1");
        assertThat(config.kafkaByName(NEIGHBOURS).get("us-east-1").bootstrapServers()).isEqualTo("far:9092");
    }

    @Test
    void anUnknownKeyIsNamedWithTheFileAndAClosestKnownKey() throws Exception {
        Path file = file("mesh.region: us-east-1\ndemo.htp.port: 1\n");

        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).file(file).load())
                .isInstanceOf(ConfigError.class)
                .hasMessage(file + ": demo.htp.port: unknown key for mesh demo (did you mean demo.http.port?)");
    }

    @Test
    void aWrongTypeIsNamedWithTheValue() throws Exception {
        Path file = file("mesh.region: us-east-1\ndemo:\n  http:\n    port: abc\n");

        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).file(file).load())
                .hasMessage(file + ": demo.http.port: invalid value 'abc': not a number");
        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).flags(Map.of("mesh.region", "us-east-1", "demo.enabled", "maybe"), "--set").load())
                .hasMessage("--set: demo.enabled: invalid value 'maybe': not true or false");
    }

    @Test
    void anOutOfRangeValueSaysTheRule() {
        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).environment(Map.of("MESH_MESH_REGION", "us-east-1",
                "MESH_DEMO_HTTP_PORT", "70000")).load())
                .hasMessage("environment MESH_DEMO_HTTP_PORT: demo.http.port: invalid value '70000': value must be no more than 65535");
    }

    @Test
    void aMissingRequiredValueIsNamedAgainstTheFile() throws Exception {
        Path file = file("demo.http.port: 1\n");

        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).file(file).load())
                .hasMessageStartingWith(file + ": mesh.region: missing required value");
    }

    @Test
    void aMissingKafkaBootstrapIsNamedWithItsPrefix() {
        MeshConfig config = ConfigLoader.of(SCHEMA).flags(Map.of("mesh.region", "us-east-1",
                "demo.neighbours.eu-west-1.kafka.security.protocol", "SSL"), "--set").load();

        assertThatThrownBy(config::kafka).hasMessage("configuration: kafka.bootstrap.servers: missing required value: "
                + "the cluster's host:port list");
        assertThatThrownBy(() -> config.kafkaByName(NEIGHBOURS))
                .hasMessageStartingWith("configuration: demo.neighbours.eu-west-1.kafka.bootstrap.servers: missing required value");
    }

    @Test
    void durationsAreReadInShortAndIsoForm() {
        MeshConfig config = ConfigLoader.of(SCHEMA).flags(Map.of("mesh.region", "us-east-1", "demo.commit.interval", "PT0.25S"), "--set")
                .load();

        assertThat(config.duration("demo.commit.interval")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).flags(Map.of("mesh.region", "us-east-1", "demo.commit.interval", "soon"),
                "--set").load())
                .hasMessage("--set: demo.commit.interval: invalid value 'soon': not " + Durations.FORMAT);
        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).flags(Map.of("mesh.region", "us-east-1", "demo.commit.interval", "0ms"),
                "--set").load())
                .hasMessage("--set: demo.commit.interval: invalid value '0ms': must be within 1ms or more");
    }

    @Test
    void aRecordsValidationIsReportedAgainstTheSourceOfItsKey() {
        MeshConfig config = ConfigLoader.of(SCHEMA).environment(Map.of("MESH_MESH_REGION", "us-east-1", "MESH_DEMO_HTTP_HOST", " "))
                .load();

        assertThatThrownBy(() -> config.build(() -> {
            InvalidSettingException.require(!config.string("demo.http.host").isBlank(), "demo.http.host", " ", "must be non-blank");
            return null;
        })).hasMessage("environment MESH_DEMO_HTTP_HOST: demo.http.host: invalid value ' ': must be non-blank");
    }

    @Test
    void brokenYamlIsNamedWithItsLine() throws Exception {
        Path file = file("mesh.region: us-east-1\ndemo: [unclosed\n");

        assertThatThrownBy(() -> ConfigLoader.of(SCHEMA).file(file).load())
                .isInstanceOf(ConfigError.class).hasMessageStartingWith(file + ": --config: not valid YAML at line");
    }
}
