package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.PassThrough;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.router.RouterKeys;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service commands' configuration errors, as a user sees them: exit code 2 and one line on stderr. */
class ServiceConfigCommandTest {

    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aWrongTypeInTheFileStopsTheEdgeWithOneLineNamingFileKeyAndProblem() throws Exception {
        Path file = file("edge.yaml", """
                mesh:
                  region: us-east-1
                kafka:
                  bootstrap.servers: 127.0.0.1:1
                edge:
                  http:
                    port: abc
                """);

        CliRun run = CliRun.mesh("edge", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh edge: " + file + ": edge.http.port: invalid value 'abc': not a number"
                + System.lineSeparator());
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKeyMeant() throws Exception {
        Path file = file("router.yaml", "mesh.region: us-east-1\nkafka.bootstrap.servers: k:9092\nrouter.comit.interval: 5ms\n");

        CliRun run = CliRun.mesh("router", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh router: " + file + ": router.comit.interval: unknown key for mesh router "
                + "(did you mean router.commit.interval?)" + System.lineSeparator());
    }

    @Test
    void aMissingRequiredValueIsNamedAgainstTheFile() throws Exception {
        Path file = file("links.yaml", "kafka.bootstrap.servers: k:9092\n");

        CliRun run = CliRun.mesh("links", "--config", file.toString(), "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).startsWith("mesh links: " + file + ": mesh.region: missing required value");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void aFlagOverridesTheFileAndIsNamedWhenItIsWrong() throws Exception {
        Path file = file("router.yaml", "mesh.region: us-east-1\nkafka.bootstrap.servers: k:9092\n");

        CliRun run = CliRun.mesh("router", "--config", file.toString(), "--set", "router.num.stream.threads=0");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh router: --set: router.num.stream.threads: invalid value '0': value must be at least 1"
                + System.lineSeparator());
    }

    @Test
    void aKafkaSettingThatKafkaRejectsStopsTheServiceNamingTheKey() throws Exception {
        Path file = file("edge.yaml", """
                mesh.region: us-east-1
                kafka:
                  bootstrap.servers: 127.0.0.1:1
                  security.protocol: CARRIER_PIGEON
                """);

        CliRun run = CliRun.mesh("edge", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).startsWith("mesh edge: " + file + ": kafka.security.protocol: rejected by the Kafka client")
                .contains("CARRIER_PIGEON");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void anUnreachableClusterStopsTheServiceAfterTheStartupCheckTimeout() throws Exception {
        Path file = file("router.yaml", "mesh.region: us-east-1\nkafka.bootstrap.servers: 127.0.0.1:1\nmesh.startup.check.timeout: 1s\n");

        CliRun run = CliRun.mesh("router", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh router: " + file + ": kafka.bootstrap.servers: cluster 127.0.0.1:1 did not answer "
                + "within 1000 ms" + System.lineSeparator());
    }

    @Test
    void aStartupCheckTimeoutOutOfRangeIsNamed() throws Exception {
        Path file = file("edge.yaml", "mesh.region: us-east-1\nkafka.bootstrap.servers: 127.0.0.1:1\n");

        CliRun run = CliRun.mesh("edge", "--config", file.toString(), "--set", "mesh.startup.check.timeout=500ms");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh edge: --set: mesh.startup.check.timeout: invalid value '500ms': must be within 1s to 10m"
                + System.lineSeparator());
    }

    @Test
    void theRecordsValidationNamesTheKeyUsersWrite() throws Exception {
        Path file = file("links.yaml", """
                mesh.region: eu-west-1
                kafka.bootstrap.servers: k:9092
                links:
                  neighbours:
                    us-east-1.kafka.bootstrap.servers: us:9092
                    ap-southeast-1:
                      kafka:
                        bootstrap.servers: ap:9092
                  refresh.topics.interval: 1500ms
                """);

        CliRun run = CliRun.mesh("links", "--config", file.toString(), "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo("mesh links: " + file + ": links.refresh.topics.interval: invalid value '1500ms': "
                + "must be within whole seconds, 1s or more" + System.lineSeparator());
    }

    @Test
    void linksRenderEveryClusterSettingBehindMirrorMakersClusterAlias() throws Exception {
        Path file = file("links.yaml", """
                mesh.region: eu-west-1
                kafka:
                  bootstrap.servers: eu:9092
                  security.protocol: SASL_SSL
                links.neighbours:
                  us-east-1.kafka: {bootstrap.servers: "us:9092", client.rack: use1-az1}
                  ap-southeast-1.kafka.bootstrap.servers: ap:9092
                """);

        CliRun run = CliRun.mesh("links", "--config", file.toString(), "--render");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("eu-west-1.security.protocol=SASL_SSL")
                .contains("us-east-1.client.rack=use1-az1")
                .contains("us-east-1.bootstrap.servers=us:9092");
    }

    @Test
    void explainPrintsEveryKeyOfEveryService() {
        for (var service : ConfigCommand.SCHEMAS.entrySet()) {
            CliRun run = CliRun.mesh("config", "explain", service.getKey());
            ConfigSchema schema = ((Supplier<ConfigSchema>) service.getValue()).get();

            assertThat(run.exitCode()).as(service.getKey()).isZero();
            for (String key : schema.definition().names()) {
                assertThat(run.out()).as(service.getKey()).contains(key + "\n").contains(ConfigSchema.environmentVariable(key));
            }
            for (PassThrough family : schema.passThroughs()) {
                assertThat(run.out()).contains(family.prefix() + "*");
            }
        }
        assertThat(CliRun.mesh("config", "explain", "edge").out()).contains("edge.grpc.port", "edge.mqtt.port", "default: 0.0.0.0",
                "valid values: [1,...,3145728]", "type: duration   default: 10s");
    }

    @Test
    void explainRefusesAnUnknownService() {
        CliRun run = CliRun.mesh("config", "explain", "toaster");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("toaster").contains("edge");
    }

    @Test
    void theExampleAndComposeFilesBuildEveryServicesSettings() {
        Topology topology = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
        Path config = Path.of("..", "config");
        List<Path> regionDirs = topology.regionNames().stream().map(region -> config.resolve("compose").resolve(region)).toList();
        for (Path dir : concat(List.of(config.resolve("examples")), regionDirs)) {
            EdgeConfig edge = EdgeKeys.build(load(EdgeKeys.schema(), dir.resolve("edge.yaml")), Set.copyOf(topology.regionNames()));
            MeshConfig router = load(RouterKeys.schema(), dir.resolve("router.yaml"));
            RouterKeys.build(router, topology.neighbours(edge.region()), topology.links());
            MeshConfig links = load(LinksKeys.schema(), dir.resolve("links.yaml"));
            assertThat(LinksKeys.build(links, topology.neighbours(edge.region())).neighbours()).as(dir.toString())
                    .containsOnlyKeys(topology.neighbours(edge.region()));
            assertThat(edge.grpcPort()).as(dir + " serves gRPC").isPositive();
            assertThat(edge.mqttPort()).as(dir + " serves MQTT").isPositive();
        }
        for (Path file : List.of(config.resolve("examples/control-plane.yaml"), config.resolve("compose/control-plane.yaml"))) {
            assertThat(ControlPlaneKeys.build(load(ControlPlaneKeys.schema(), file)).regionKafka()).as(file.toString())
                    .containsOnlyKeys(topology.regionNames());
        }
    }

    @Test
    void theProcessScriptsFilesLogIntoTheScramRegionFromEveryServiceThatReachesIt() {
        Path processes = Path.of("..", "config", "processes");
        Topology topology = TopologyLoader.load(processes.resolve("topology.yaml"));
        for (String region : topology.regionNames()) {
            Path dir = processes.resolve(region);
            MeshConfig router = load(RouterKeys.schema(), dir.resolve("router.yaml"));
            assertThat(RouterKeys.build(router, topology.neighbours(region), topology.links()).region()).isEqualTo(region);
            var links = LinksKeys.build(load(LinksKeys.schema(), dir.resolve("links.yaml")), topology.neighbours(region));
            assertThat(links.neighbours()).as(dir.toString()).containsOnlyKeys(topology.neighbours(region));
            links.neighbours().forEach((neighbour, kafka) -> assertThat(kafka.toString()).as(region + " -> " + neighbour)
                    .contains(neighbour.equals("eu-west-1") ? "sasl.jaas.config" : "bootstrap.servers"));
            load(EdgeKeys.schema(), dir.resolve("edge.yaml"));
        }
        assertThat(ControlPlaneKeys.build(load(ControlPlaneKeys.schema(), processes.resolve("control-plane.yaml"))).regionKafka())
                .containsOnlyKeys(topology.regionNames());
    }

    private static MeshConfig load(ConfigSchema schema, Path file) {
        return ConfigLoader.of(schema).file(file).load();
    }

    private static List<Path> concat(List<Path> first, List<Path> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
