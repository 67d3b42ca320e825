package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LinksCommandTest {

    @Test
    void rendersMirrorMakerPropertiesForOneRegionFromTheTopology() throws Exception {
        CliRun run = CliRun.mesh("links", "--region", "eu-west-1", "--kafka", "kafka-eu:9092",
                "--neighbour", "us-east-1=kafka-us:9092", "--neighbour", "ap-southeast-1=kafka-ap:9092", "--render");

        assertThat(run.exitCode()).isZero();
        Properties props = new Properties();
        props.load(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(props.getProperty("us-east-1->eu-west-1.enabled")).isEqualTo("true");
        assertThat(props.getProperty("ap-southeast-1->eu-west-1.enabled")).isEqualTo("true");
        assertThat(props.getProperty("eu-west-1->us-east-1.enabled")).isEqualTo("false");
        assertThat(props.getProperty("us-east-1.bootstrap.servers")).isEqualTo("kafka-us:9092");
        assertThat(props.getProperty("us-east-1->eu-west-1.transforms.enter.broker.id")).isEqualTo("eu-west-1");
    }

    @Test
    void refusesNeighboursThatDoNotMatchTheTopology() {
        CliRun run = CliRun.mesh("links", "--region", "eu-west-1", "--kafka", "k:9092", "--neighbour", "mars-1=k:9092", "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("is a neighbour of eu-west-1 in the topology").contains("links.neighbours.");
    }

    @Test
    void unknownRegionIsNamed() {
        CliRun run = CliRun.mesh("links", "--region", "mars-1", "--kafka", "k:9092", "--neighbour", "x=k:9092", "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("mars-1");
    }

    @Test
    void unknownLinkModeIsRefusedNamingTheAcceptedModes() {
        CliRun run = CliRun.mesh("links", "--region", "eu-west-1", "--kafka", "k:9092", "--neighbour", "us-east-1=k:9092",
                "--neighbour", "ap-southeast-1=k:9092", "--mode", "carrier-pigeon");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--mode").contains("push").contains("mirrormaker").contains("carrier-pigeon");
    }
}
