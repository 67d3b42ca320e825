package io.meshwork.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Each test breaks the embedded file in one way and checks the message points at the cause. */
class TopologyValidationTest {

    private static final String SOURCE = "three-regions.yaml";
    private static final String EMBEDDED = readEmbedded();

    private static String readEmbedded() {
        try (InputStream in = TopologyValidationTest.class.getClassLoader()
                .getResourceAsStream(TopologyLoader.EMBEDDED_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded file with one fragment replaced; fails loudly if the fragment is not there. */
    private static String embeddedWith(String fragment, String replacement) {
        assertThat(EMBEDDED).contains(fragment);
        return EMBEDDED.replaceFirst(Pattern.quote(fragment),
                Matcher.quoteReplacement(replacement));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String yaml) {
        return assertThatThrownBy(() -> TopologyLoader.parse(SOURCE, yaml)).isInstanceOf(TopologyException.class);
    }

    private static TopologyException rejection(String yaml) {
        return catchThrowableOfType(TopologyException.class, () -> TopologyLoader.parse(SOURCE, yaml));
    }

    @Test
    void rejectsDuplicateRegionNamingKeyAndValue() {
        TopologyException e = rejection(embeddedWith("name: eu-west-1", "name: us-east-1"));

        assertThat(e).hasMessage("three-regions.yaml: regions[1].name: duplicate region 'us-east-1' (value: us-east-1)");
        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.key()).isEqualTo("regions[1].name");
        assertThat(e.value()).isEqualTo("us-east-1");
        assertThat(e.problem()).isEqualTo("duplicate region 'us-east-1'");
    }

    @Test
    void rejectsInvalidRegionName() {
        assertRejected(embeddedWith("name: eu-west-1", "name: EU_West"))
                .hasMessage("three-regions.yaml: regions[1].name: invalid region name 'EU_West' "
                        + "(must match [a-z][a-z0-9-]{0,62}) (value: EU_West)");
    }

    @Test
    void rejectsEmptyRegionsList() {
        assertRejected("mesh: m\ncontrolPlane: { port: 8080 }\nregions: []\n")
                .hasMessage("three-regions.yaml: regions: at least one region is required (value: [])");
    }

    @Test
    void rejectsRegionsThatAreNotAList() {
        assertRejected("mesh: m\ncontrolPlane: { port: 8080 }\nregions: us-east-1\n")
                .hasMessage("three-regions.yaml: regions: expected a list, got a string (value: us-east-1)");
    }

    @Test
    void rejectsPortClashAcrossRegions() {
        TopologyException e = rejection(embeddedWith("http: 38080", "http: 18080"));

        assertThat(e).hasMessage("three-regions.yaml: regions[2].ports.http: "
                + "port 18080 is already used by regions[0].ports.http (value: 18080)");
        assertThat(e.key()).isEqualTo("regions[2].ports.http");
        assertThat(e.value()).isEqualTo("18080");
    }

    @Test
    void rejectsPortClashBetweenProtocolsOfOneRegion() {
        assertRejected(embeddedWith("mqtt: 11883", "mqtt: 19092"))
                .hasMessage("three-regions.yaml: regions[0].ports.mqtt: "
                        + "port 19092 is already used by regions[0].ports.kafka (value: 19092)");
    }

    @Test
    void rejectsPortClashWithControlPlane() {
        assertRejected(embeddedWith("grpc: 28090", "grpc: 8080"))
                .hasMessage("three-regions.yaml: regions[1].ports.grpc: "
                        + "port 8080 is already used by controlPlane.port (value: 8080)");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertRejected(embeddedWith("mqtt: 31883", "mqtt: 70000"))
                .hasMessage("three-regions.yaml: regions[2].ports.mqtt: port 70000 is out of range 1..65535 (value: 70000)");
        assertRejected(embeddedWith("port: 8080", "port: 0"))
                .hasMessage("three-regions.yaml: controlPlane.port: port 0 is out of range 1..65535 (value: 0)");
    }

    @Test
    void rejectsMissingField() {
        TopologyException e = rejection(embeddedWith("grpc: 18090, ", ""));

        assertThat(e).hasMessage("three-regions.yaml: regions[0].ports.grpc: missing required field");
        assertThat(e.value()).isNull();
    }

    @Test
    void rejectsMissingSection() {
        assertRejected(embeddedWith("controlPlane:\n  port: 8080\n", ""))
                .hasMessage("three-regions.yaml: controlPlane: missing required field");
    }

    @Test
    void rejectsFieldWithoutValue() {
        assertRejected(embeddedWith("mesh: meshwork-embedded", "mesh:"))
                .hasMessage("three-regions.yaml: mesh: required field has no value");
        assertRejected(embeddedWith("rttMs: 70", "rttMs: ~"))
                .hasMessage("three-regions.yaml: links[0].rttMs: required field has no value");
    }

    @Test
    void rejectsUnknownField() {
        assertRejected(embeddedWith("rttMs: 120", "rtt: 120"))
                .hasMessage("three-regions.yaml: links[1].rtt: unknown field 'rtt' (allowed: between, rttMs) (value: 120)");
        assertRejected(embeddedWith("kafka: 29092", "kafak: 29092"))
                .hasMessage("three-regions.yaml: regions[1].ports.kafak: "
                        + "unknown field 'kafak' (allowed: kafka, http, grpc, mqtt) (value: 29092)");
    }

    @Test
    void rejectsUnknownTopLevelFieldWithShortenedValue() {
        assertRejected(embeddedWith("links:", "linkz:"))
                .hasMessage("three-regions.yaml: linkz: unknown field 'linkz' (allowed: mesh, controlPlane, regions, links) "
                        + "(value: [{between: [us-east-1, eu-west-1], rttMs: 70}, {between: [eu-west-1, ap-south...)");
    }

    @Test
    void rejectsStringWhereNumberExpected() {
        assertRejected(embeddedWith("kafka: 19092", "kafka: \"19092\""))
                .hasMessage("three-regions.yaml: regions[0].ports.kafka: expected an integer, got a string (value: 19092)");
    }

    @Test
    void rejectsDecimalRtt() {
        assertRejected(embeddedWith("rttMs: 70", "rttMs: 70.5"))
                .hasMessage("three-regions.yaml: links[0].rttMs: expected an integer, got a decimal number (value: 70.5)");
    }

    @Test
    void rejectsNonPositiveRtt() {
        assertRejected(embeddedWith("rttMs: 120", "rttMs: 0"))
                .hasMessage("three-regions.yaml: links[1].rttMs: round-trip time must be positive (value: 0)");
        assertRejected(embeddedWith("rttMs: 180", "rttMs: -5"))
                .hasMessage("three-regions.yaml: links[2].rttMs: round-trip time must be positive (value: -5)");
    }

    @Test
    void rejectsLinkToUnknownRegion() {
        TopologyException e = rejection(embeddedWith("[us-east-1, eu-west-1]", "[us-east-1, mars-1]"));

        assertThat(e).hasMessage("three-regions.yaml: links[0].between[1]: unknown region 'mars-1' (value: mars-1)");
        assertThat(e.key()).isEqualTo("links[0].between[1]");
        assertThat(e.value()).isEqualTo("mars-1");
    }

    @Test
    void rejectsLinkFromRegionToItself() {
        assertRejected(embeddedWith("[eu-west-1, ap-southeast-1]", "[eu-west-1, eu-west-1]"))
                .hasMessage("three-regions.yaml: links[1].between[1]: link from region 'eu-west-1' to itself (value: eu-west-1)");
    }

    @Test
    void rejectsDuplicateLinkInEitherOrder() {
        assertRejected(embeddedWith("[us-east-1, ap-southeast-1]", "[eu-west-1, us-east-1]"))
                .hasMessage("three-regions.yaml: links[2].between: duplicate link between 'eu-west-1' and 'us-east-1', "
                        + "already declared at links[0] (value: [eu-west-1, us-east-1])");
    }

    @Test
    void rejectsBetweenWithoutExactlyTwoRegions() {
        assertRejected(embeddedWith("[us-east-1, eu-west-1]", "[us-east-1, eu-west-1, ap-southeast-1]"))
                .hasMessage("three-regions.yaml: links[0].between: expected exactly two regions, got 3 "
                        + "(value: [us-east-1, eu-west-1, ap-southeast-1])");
        assertRejected(embeddedWith("[us-east-1, eu-west-1]", "[us-east-1]"))
                .hasMessage("three-regions.yaml: links[0].between: expected exactly two regions, got 1 (value: [us-east-1])");
    }

    @Test
    void rejectsMalformedYaml() {
        TopologyException e = rejection(embeddedWith("mqtt: 21883 }", "mqtt: 21883"));

        assertThat(e.key()).isEqualTo("(document)");
        assertThat(e.value()).isNull();
        assertThat(e).hasMessage("three-regions.yaml: (document): malformed YAML: while parsing a flow mapping; "
                + "expected ',' or '}', but got : (line 10, column 9)");
    }

    @Test
    void rejectsRepeatedKey() {
        assertRejected(embeddedWith("rttMs: 70", "rttMs: 70\n    rttMs: 71"))
                .hasMessage("three-regions.yaml: (document): malformed YAML: Duplicate field 'rttMs' (line 15, column 10)");
    }

    @Test
    void rejectsBlankMeshName() {
        assertRejected(embeddedWith("mesh: meshwork-embedded", "mesh: '  '"))
                .hasMessage("three-regions.yaml: mesh: mesh name must not be blank (value:   )");
    }

    @Test
    void rejectsEmptyDocument() {
        assertRejected("").hasMessage("three-regions.yaml: (document): the document is empty");
        assertRejected("# nothing but a comment\n").hasMessage("three-regions.yaml: (document): the document is empty");
    }

    @Test
    void rejectsDocumentThatIsNotAMapping() {
        assertRejected("- us-east-1\n- eu-west-1\n")
                .hasMessage("three-regions.yaml: (document): expected a mapping, got a list (value: [us-east-1, eu-west-1])");
    }

    @Test
    void allowsIsolatedRegion() {
        Topology topology = TopologyLoader.parse(SOURCE, embeddedWith("links:", """
                  - name: sa-east-1
                    ports: { kafka: 49092, http: 48080, grpc: 48090, mqtt: 41883 }
                links:"""));

        assertThat(topology.regionNames()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1");
        assertThat(topology.neighbours("sa-east-1")).isEmpty();
    }

    @Test
    void allowsTopologyWithoutLinks() {
        Topology topology = TopologyLoader.parse(SOURCE, """
                mesh: solo
                controlPlane: { port: 8080 }
                regions:
                  - name: us-east-1
                    ports: { kafka: 19092, http: 18080, grpc: 18090, mqtt: 11883 }
                """);

        assertThat(topology.links()).isEmpty();
        assertThat(topology.neighbours("us-east-1")).isEmpty();
    }
}
