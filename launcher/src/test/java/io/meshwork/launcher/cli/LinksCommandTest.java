package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LinksCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run mesh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MeshCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream capturedErr = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Run(code, out + captured.toString(StandardCharsets.UTF_8), err + capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void rendersMirrorMakerPropertiesForOneRegionFromTheTopology() throws Exception {
        Run run = mesh("links", "--region", "eu-west-1", "--kafka", "kafka-eu:9092",
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
        Run run = mesh("links", "--region", "eu-west-1", "--kafka", "k:9092", "--neighbour", "mars-1=k:9092", "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("is a neighbour of eu-west-1 in the topology").contains("links.neighbours.");
    }

    @Test
    void unknownRegionIsNamed() {
        Run run = mesh("links", "--region", "mars-1", "--kafka", "k:9092", "--neighbour", "x=k:9092", "--render");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("mars-1");
    }

    @Test
    void unknownLinkModeIsRefusedNamingTheAcceptedModes() {
        Run run = mesh("links", "--region", "eu-west-1", "--kafka", "k:9092", "--neighbour", "us-east-1=k:9092",
                "--neighbour", "ap-southeast-1=k:9092", "--mode", "carrier-pigeon");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--mode").contains("push").contains("mirrormaker").contains("carrier-pigeon");
    }
}
