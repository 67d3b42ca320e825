package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.connectors.links.RegionLinks;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterKeys;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kafka ACLs, tested under an authoriser: us-east-1's cluster runs KRaft's
 * {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false} and a SASL/PLAIN
 * listener, and each service of the mesh logs in there as its own principal holding exactly the
 * grants {@link ServiceAcls} lists (the README's list). us-east-1's edge, router, links and the
 * control plane, and eu-west-1's links (whose push link and control channel reach into us-east-1's
 * cluster), then carry events both ways between the regions and feed the control plane, whose
 * routing rule reaches the interest and whose ACL entry reaches {@code mesh.acls}; eu-west-1's
 * own cluster has no authoriser. A principal that lacks one grant stops the service at start with
 * one line naming it.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaAclsIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String SASL = "SASL";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Principals of us-east-1's cluster: one per service, and an edge that may not write events. */
    private static final List<String> PRINCIPALS = List.of("edge", "router", "links", "eu-links", "control-plane", "edge-without-write");

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster us;
    private static EmbeddedKafkaCluster eu;
    private static Path topologyFile;
    private static Topology topology;
    private static final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void startClustersWithAcls() throws Exception {
        us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US)
                .withExtraListener(ExtraListener.saslPlaintext(SASL))
                .withBrokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // The setup user: whoever comes over the PLAINTEXT CLIENT and CONTROLLER listeners
                // (this test's admin client, and the node itself). Services use the SASL listener only.
                .withBrokerProperty("super.users", "User:ANONYMOUS")
                .withBrokerProperty("allow.everyone.if.no.acl.found", "false")
                .withBrokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .withBrokerProperty("listener.name.sasl.plain.sasl.jaas.config", PRINCIPALS.stream()
                        .map(user -> "user_" + user + "=\"" + password(user) + "\"")
                        .collect(Collectors.joining(" ", "org.apache.kafka.common.security.plain.PlainLoginModule required ", ";"))));
        eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU));
        new TopicApplier(eu.admin(), EU).apply(TopicContract.embedded(EU, List.of(US)).topics(), TopicApplier.Mode.CREATE_MISSING);

        ServiceAcls acls = new ServiceAcls(US, List.of(EU));
        List<AclBinding> grants = new ArrayList<>();
        grants.addAll(acls.edge("edge"));
        grants.addAll(acls.router("router"));
        grants.addAll(acls.links("links"));
        grants.addAll(acls.neighbourLinks("eu-links", EU));
        grants.addAll(acls.controlPlane("control-plane"));
        grants.addAll(ServiceAcls.without(acls.edge("edge-without-write"), MeshKafkaTopics.EVENTS, AclOperation.WRITE));
        us.admin().createAcls(grants).all().get(30, TimeUnit.SECONDS);

        topologyFile = dir.resolve("topology.yaml");
        Files.writeString(topologyFile, """
                mesh: acls
                controlPlane: {port: 8080}
                regions:
                  - name: us-east-1
                    ports: { kafka: 19092, http: 18080, grpc: 18090, mqtt: 11883 }
                  - name: eu-west-1
                    ports: { kafka: 29092, http: 28080, grpc: 28090, mqtt: 21883 }
                links:
                  - between: [us-east-1, eu-west-1]
                    rttMs: 20
                """);
        topology = TopologyLoader.load(topologyFile);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (eu != null) {
            eu.close();
        }
        if (us != null) {
            us.close();
        }
    }

    @Test
    void servicesHoldingOnlyTheReadmeAclsCarryEventsBothWaysAndFeedTheControlPlane() throws Exception {
        // The edge creates the region's topics as its principal, through the command's own start-up checks.
        EdgeCommand usEdgeCommand = new EdgeCommand();
        new picocli.CommandLine(usEdgeCommand).parseArgs("--config", serviceFile("us-edge", "edge", Map.of(
                EdgeKeys.HTTP_HOST, "127.0.0.1", EdgeKeys.HTTP_PORT, "0", EdgeKeys.GRPC_PORT, "-1", EdgeKeys.MQTT_PORT, "-1",
                EdgeKeys.DELIVERY_MODE, "routed")).toString());
        EdgeBridge usEdge = usEdgeCommand.start().edge();
        running.add(usEdge::close);
        running.add(startRouter(US, usKeys("router"))::close);
        running.add(startLinks(US, with(usKeys("links"), eu.bootstrapServers(), EU, Map.of())));
        MeshRouter euRouter = startRouter(EU, euKeys());
        running.add(euRouter::close);
        running.add(startLinks(EU, with(euKeys(), null, US, prefixed(LinksKeys.NEIGHBOURS.key(US, ""), saslClient("eu-links")))));
        EdgeBridge euEdge = EdgeBridge.start(EdgeKeys.build(EmbeddedConfigs.of(EdgeKeys.schema(), with(euKeys(), Map.of(
                EdgeKeys.HTTP_HOST, "127.0.0.1", EdgeKeys.HTTP_PORT, "0", EdgeKeys.GRPC_PORT, "-1", EdgeKeys.MQTT_PORT, "-1"))),
                Set.copyOf(topology.regionNames())));
        running.add(euEdge::close);
        ControlPlane controlPlane = ControlPlane.start(ControlPlaneKeys.build(EmbeddedConfigs.of(ControlPlaneKeys.schema(),
                with(prefixed(ControlPlaneKeys.REGIONS.key(US, ""), saslClient("control-plane")),
                        Map.of(ControlPlaneKeys.HOST, "127.0.0.1", ControlPlaneKeys.PORT, "0")))), topology, null, List.of());
        running.add(controlPlane::close);

        String usStream = "ws://127.0.0.1:" + usEdge.httpPort() + "/v1/stream";
        String euStream = "ws://127.0.0.1:" + euEdge.httpPort() + "/v1/stream";
        try (StreamClient inUs = StreamClient.connect(usStream); StreamClient inEu = StreamClient.connect(euStream)) {
            inUs.subscribeMeshWide("acl/#");
            inEu.subscribeMeshWide("acl/#");

            String local = "acl-local-" + UUID.randomUUID();
            String toEu = "acl-to-eu-" + UUID.randomUUID();
            String toUs = "acl-to-us-" + UUID.randomUUID();
            assertThat(traced(new Publisher("http://127.0.0.1:" + usEdge.httpPort()), "acl/us/orders", local).statusCode())
                    .isBetween(200, 299);
            assertThat(new Publisher("http://127.0.0.1:" + usEdge.httpPort()).publishOn("acl/us/payments", toEu, "{}").statusCode())
                    .isBetween(200, 299);
            assertThat(new Publisher("http://127.0.0.1:" + euEdge.httpPort()).publishOn("acl/eu/orders", toUs, "{}").statusCode())
                    .isBetween(200, 299);

            assertThat(inUs.awaitEvent(local).getTopic()).as("routed by us-east-1's router to its edge").isEqualTo("acl/us/orders");
            assertThat(inEu.awaitEvent(toEu).getTopic()).as("us-east-1's push link into eu-west-1").isEqualTo("acl/us/payments");
            assertThat(inUs.awaitEvent(toUs).getTopic()).as("eu-west-1's push link into us-east-1").isEqualTo("acl/eu/orders");

            String controlPlaneUrl = "http://127.0.0.1:" + controlPlane.port();
            await("us-east-1's edge and router in the control plane's directory").atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(get(controlPlaneUrl + "/v1/brokers?region=" + US + "&status=ACTIVE").get("brokers").size()).isGreaterThanOrEqualTo(2));
            await("the trace of the sampled event in the control plane").atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(get(controlPlaneUrl + "/v1/traces/" + local).get("hops").size()).isGreaterThanOrEqualTo(2));

            // A routing rule is interest the control plane writes into the destination region's mesh.interest.
            String usEdgeId = get(controlPlaneUrl + "/v1/brokers/allocate?region=" + US).get("brokerId").asText();
            HttpResponse<String> rule = post(controlPlaneUrl + "/v1/rules",
                    "{\"sourceTopicPattern\":\"acl-ruled/#\",\"destinationBrokerId\":\"" + usEdgeId + "\"}");
            assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
            await("the rule's interest advertised by us-east-1 to eu-west-1").atMost(WAIT)
                    .until(() -> euRouter.regionsWanting("acl-ruled/x").contains(US));
            // An ACL entry is a record the control plane writes into every region's mesh.acls.
            HttpResponse<String> entry = post(controlPlaneUrl + "/v1/acls",
                    "{\"principal\":\"acl-test\",\"action\":\"publish\",\"effect\":\"allow\",\"topicFilter\":\"acl/#\"}");
            assertThat(entry.statusCode()).as(entry.body()).isEqualTo(201);
            String aclId = JSON.readTree(entry.body()).get("aclId").asText();
            await("the ACL entry in us-east-1's mesh.acls").atMost(WAIT).until(() -> keysOf(MeshKafkaTopics.ACLS).contains(aclId));
        }
    }

    @Test
    void anEdgeWhosePrincipalMayNotWriteEventsStopsAtStartNamingThePermission() throws Exception {
        Path file = serviceFile("edge-without-write", "edge-without-write", Map.of(
                EdgeKeys.HTTP_HOST, "127.0.0.1", EdgeKeys.HTTP_PORT, "0", EdgeKeys.GRPC_PORT, "-1", EdgeKeys.MQTT_PORT, "-1"));

        CliRun run = CliRun.mesh("edge", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err().strip()).isEqualTo("mesh edge: " + file + ": kafka.sasl.jaas.config: principal User:edge-without-write"
                + " is not authorised by the cluster at " + saslBootstrap() + " to WRITE on topic mesh.events"
                + " (a mesh service needs READ and WRITE on its region's topics)");
    }

    private static HttpResponse<String> traced(Publisher publisher, String topic, String eventId) throws Exception {
        return publisher.publish(Map.of("Content-Type", "application/json", "ce-specversion", "1.0", "ce-type", "test.event",
                "ce-source", "/tests", "ce-id", eventId, "ce-meshtopic", topic, "ce-meshtrace", "true"),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
    }

    private static MeshRouter startRouter(String region, Map<String, String> keys) throws Exception {
        MeshConfig config = EmbeddedConfigs.of(RouterKeys.schema(), keys);
        var settings = RouterKeys.build(config, topology.neighbours(region), topology.links(), dir.resolve("router-" + region));
        if (region.equals(US)) {
            StartupChecks.cluster(config, settings.kafka(), KafkaClients.PREFIX);
            StartupChecks.contractTopics(config, settings.kafka(), "router " + region,
                    new TopicContract(region, settings.neighbours(), (short) 1, MeshKeys.spool(config)));
        }
        return MeshRouter.start(settings, WAIT);
    }

    private static AutoCloseable startLinks(String region, Map<String, String> keys) throws Exception {
        MeshConfig config = EmbeddedConfigs.of(LinksKeys.schema(), keys);
        var links = LinksKeys.build(config, topology.neighbours(region));
        if (region.equals(US)) {
            StartupChecks.cluster(config, links.kafka(), KafkaClients.PREFIX);
            StartupChecks.contractTopics(config, links.kafka(), "links " + region,
                    new TopicContract(region, List.of(EU), (short) 1, MeshKeys.spool(config)));
        }
        RegionLinks started = links.start(WAIT);
        return started::close;
    }

    /** us-east-1's keys for a service whose principal is {@code user}. */
    private static Map<String, String> usKeys(String user) {
        Map<String, String> keys = new LinkedHashMap<>(prefixed(KafkaClients.PREFIX, saslClient(user)));
        keys.put(MeshKeys.REGION, US);
        keys.put(MeshKeys.TOPOLOGY, topologyFile.toString());
        return keys;
    }

    private static Map<String, String> euKeys() {
        return Map.of(MeshKeys.REGION, EU, MeshKeys.TOPOLOGY, topologyFile.toString(), "kafka.bootstrap.servers", eu.bootstrapServers());
    }

    /** {@code keys}, plus how the links reach {@code neighbour} (its bootstrap, or {@code more}'s keys) and {@code more}. */
    private static Map<String, String> with(Map<String, String> keys, String neighbourBootstrap, String neighbour, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(keys);
        if (neighbourBootstrap != null) {
            all.put(LinksKeys.NEIGHBOURS.key(neighbour, "bootstrap.servers"), neighbourBootstrap);
        }
        all.putAll(more);
        return all;
    }

    private static Map<String, String> with(Map<String, String> keys, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(keys);
        all.putAll(more);
        return all;
    }

    /** A YAML file of us-east-1's service as {@code user}, with {@code more} keys. */
    private static Path serviceFile(String name, String user, Map<String, String> more) throws IOException {
        StringBuilder yaml = new StringBuilder();
        new TreeMap<>(with(usKeys(user), more)).forEach((key, value) ->
                yaml.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    /** Client settings (no prefix) of {@code user} on us-east-1's SASL listener. */
    private static Map<String, String> saslClient(String user) {
        return Map.of("bootstrap.servers", saslBootstrap(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password(user) + "\";");
    }

    private static String saslBootstrap() {
        return "127.0.0.1:" + us.listenerPort(SASL);
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> settings) {
        Map<String, String> keys = new HashMap<>();
        settings.forEach((key, value) -> keys.put(prefix + key, value));
        return keys;
    }

    private static String password(String user) {
        return user + "-secret";
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The keys in us-east-1's {@code topic}, read as the setup user. */
    private static Set<String> keysOf(String topic) {
        Set<String> keys = new java.util.HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", us.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
            }
        }
        return keys;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
