package io.meshwork.connectors.links;

import static io.meshwork.connectors.LinkRecords.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.connectors.internal.TransformChain;
import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.LinkRecords;
import io.meshwork.connectors.predicates.HopBudgetSpent;
import io.meshwork.connectors.predicates.RoutingPathContains;
import io.meshwork.connectors.transforms.EnterBroker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.mirror.DefaultReplicationPolicy;
import org.apache.kafka.connect.mirror.DefaultTopicFilter;
import org.apache.kafka.connect.mirror.MirrorCheckpointConnector;
import org.apache.kafka.connect.mirror.MirrorHeartbeatConnector;
import org.apache.kafka.connect.mirror.MirrorMakerConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Filter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

/** The MirrorMaker 2 config of us-east-1's incoming links, checked with connect-mirror's own classes. */
class LinkConfigsTest {

    private static final String TARGET = "us-east-1";
    private static final Map<String, String> NEIGHBOURS = Map.of(
            "eu-west-1", "127.0.0.1:41001",
            "ap-southeast-1", "127.0.0.1:41002");
    private static final List<SourceAndTarget> INCOMING = List.of(
            new SourceAndTarget("ap-southeast-1", TARGET), new SourceAndTarget("eu-west-1", TARGET));

    private final Map<String, String> props =
            LinkConfigs.mirrorMakerFor(TARGET, "127.0.0.1:19092", NEIGHBOURS, LinkSettings.embedded());
    private final MirrorMakerConfig mirrorMaker = new MirrorMakerConfig(props);

    @Test
    void listsTheTargetFirstThenTheNeighboursSorted() {
        assertThat(props).containsEntry("clusters", "us-east-1,ap-southeast-1,eu-west-1")
                .containsEntry("us-east-1.bootstrap.servers", "127.0.0.1:19092")
                .containsEntry("eu-west-1.bootstrap.servers", "127.0.0.1:41001")
                .containsEntry("ap-southeast-1.bootstrap.servers", "127.0.0.1:41002");
    }

    @Test
    void enablesExactlyTheFlowsFromEachNeighbourIntoTheTarget() {
        Map<String, String> flows = props.entrySet().stream()
                .filter(e -> e.getKey().contains("->") && e.getKey().endsWith(".enabled"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        assertThat(flows).containsOnly(
                Map.entry("eu-west-1->us-east-1.enabled", "true"),
                Map.entry("ap-southeast-1->us-east-1.enabled", "true"),
                Map.entry("us-east-1->eu-west-1.enabled", "false"),
                Map.entry("us-east-1->ap-southeast-1.enabled", "false"),
                Map.entry("eu-west-1->ap-southeast-1.enabled", "false"),
                Map.entry("ap-southeast-1->eu-west-1.enabled", "false"));
        // With heartbeats off, MirrorMaker starts a herder for enabled flows only.
        assertThat(mirrorMaker.clusterPairs()).containsExactlyInAnyOrderElementsOf(INCOMING);
    }

    @Test
    void eachIncomingFlowCarriesTheTargetsDataSpoolOnly() {
        for (SourceAndTarget flow : INCOMING) {
            DefaultTopicFilter topics = new DefaultTopicFilter();
            topics.configure(mirrorMaker.connectorBaseConfig(flow, MirrorSourceConnector.class));

            assertThat(topics.shouldReplicateTopic("mesh.link.us-east-1")).isTrue();
            assertThat(topics.shouldReplicateTopic("mesh.routes")).as("control records cross on their own channel").isFalse();
            assertThat(topics.shouldReplicateTopic("mesh.link.us-east-10")).isFalse();
            assertThat(topics.shouldReplicateTopic("meshXlinkXus-east-1")).isFalse();
            assertThat(topics.shouldReplicateTopic("mesh.link.eu-west-1")).isFalse();
            assertThat(topics.shouldReplicateTopic("ap-southeast-1.mesh.routes")).isFalse();
            assertThat(topics.shouldReplicateTopic("mesh.events")).isFalse();
            assertThat(topics.shouldReplicateTopic("mesh.interest")).isFalse();
        }
    }

    @Test
    void sourceAndHeartbeatConnectorConfigsOfEveryFlowPassMirrorMakersValidation() {
        for (SourceAndTarget flow : INCOMING) {
            assertThat(configErrors(new MirrorSourceConnector(), mirrorMaker.connectorBaseConfig(flow, MirrorSourceConnector.class)))
                    .isEmpty();
            assertThat(configErrors(new MirrorHeartbeatConnector(), mirrorMaker.connectorBaseConfig(flow, MirrorHeartbeatConnector.class)))
                    .isEmpty();
        }
    }

    @Test
    void checkpointConnectorIsRefusedByMirrorMakerSoNothingIsCheckpointed() {
        // MirrorMaker configures all three connectors for every flow; this refusal is what keeps
        // checkpointing off (and why each flow logs "Failed to configure MirrorCheckpointConnector").
        for (SourceAndTarget flow : INCOMING) {
            assertThat(configErrors(new MirrorCheckpointConnector(), mirrorMaker.connectorBaseConfig(flow, MirrorCheckpointConnector.class)))
                    .isNotEmpty()
                    .allSatisfy(error -> assertThat(error).contains("MirrorCheckpointConnector can't run"));
        }
    }

    @Test
    void sourceConnectorCarriesDataOnlyWithTheSettingsGiven() {
        Map<String, String> connector = mirrorMaker.connectorBaseConfig(INCOMING.get(1), MirrorSourceConnector.class);
        MirrorSourceConfig source = new MirrorSourceConfig(connector);

        assertThat(source.getBoolean("enabled")).isTrue();
        assertThat(source.getString("source.cluster.alias")).isEqualTo("eu-west-1");
        assertThat(source.getString("target.cluster.alias")).isEqualTo(TARGET);
        assertThat(source.getInt("tasks.max")).isEqualTo(1);
        assertThat(source.getLong("refresh.topics.interval.seconds")).isEqualTo(5L);
        assertThat(source.getInt("replication.factor")).isEqualTo(1);
        assertThat(source.getBoolean("emit.offset-syncs.enabled")).isFalse();
        assertThat(source.getBoolean("sync.topic.configs.enabled")).isFalse();
        assertThat(source.getBoolean("sync.topic.acls.enabled")).isFalse();
        assertThat(connector).containsEntry("emit.heartbeats.enabled", "false")
                .containsEntry("emit.checkpoints.enabled", "false")
                .containsEntry("sync.group.offsets.enabled", "false")
                .containsEntry("heartbeats.topic.replication.factor", "1")
                .containsEntry("checkpoints.topic.replication.factor", "1");
    }

    @Test
    void clientSettingsReachTheNeighboursConsumerAndTheTargetWorkersProducer() {
        SourceAndTarget flow = new SourceAndTarget("eu-west-1", TARGET);

        // <neighbour>.consumer.* becomes the connector's source.consumer.* (the replication consumer).
        assertThat(mirrorMaker.connectorBaseConfig(flow, MirrorSourceConnector.class))
                .containsEntry("source.consumer.fetch.max.wait.ms", "50")
                .containsEntry("source.cluster.bootstrap.servers", "127.0.0.1:41001")
                .containsEntry("target.cluster.bootstrap.servers", "127.0.0.1:19092");
        // <target>.producer.* becomes the Connect worker's producer.*, which writes the arrivals.
        Map<String, String> worker = mirrorMaker.workerConfig(flow);
        assertThat(worker).containsEntry("producer.max.request.size", "4194304")
                .containsEntry("producer.linger.ms", "0")
                .containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .doesNotContainKey("consumer.fetch.max.wait.ms");
    }

    @Test
    void workerConfigsPassConnectsValidationWithTheInternalTopicReplicationFactor() {
        for (SourceAndTarget flow : INCOMING) {
            DistributedConfig worker = new DistributedConfig(mirrorMaker.workerConfig(flow));

            assertThat(worker.getShort("config.storage.replication.factor")).isEqualTo((short) 1);
            assertThat(worker.getShort("offset.storage.replication.factor")).isEqualTo((short) 1);
            assertThat(worker.getShort("status.storage.replication.factor")).isEqualTo((short) 1);
            assertThat(worker.getClass("header.converter").getName())
                    .isEqualTo("org.apache.kafka.connect.converters.ByteArrayConverter");
        }
    }

    @Test
    void workersFindEveryLinkPluginThroughServiceLoaderManifests() {
        SourceAndTarget flow = INCOMING.get(1);
        Map<String, String> workerProps = mirrorMaker.workerConfig(flow);
        assertThat(workerProps).containsEntry("plugin.discovery", "service_load");

        Plugins plugins = new Plugins(workerProps);

        assertThat(plugins.transformations()).extracting(PluginDesc::className)
                .contains(EnterBroker.class.getName(), Filter.class.getName());
        assertThat(plugins.predicates()).extracting(PluginDesc::className)
                .contains(RoutingPathContains.class.getName(), HopBudgetSpent.class.getName());
        assertThat(plugins.sourceConnectors()).extracting(PluginDesc::className)
                .contains(MirrorSourceConnector.class.getName());
        // Connect's own parsing of the connector config resolves the whole transform chain.
        SourceConnectorConfig connector = new SourceConnectorConfig(plugins,
                mirrorMaker.connectorBaseConfig(flow, MirrorSourceConnector.class), false);
        assertThat(connector.getList("transforms")).containsExactly("loopGuard", "hopLimit", "enter");
        assertThat(connector.getList("predicates")).containsExactly("pathHasTarget", "hopsSpent");
    }

    @Test
    void linkGuardPluginsResolveToTheirClasses() throws ClassNotFoundException {
        Map<String, String> connector = mirrorMaker.connectorBaseConfig(INCOMING.get(0), MirrorSourceConnector.class);

        assertThat(connector).containsEntry("transforms", "loopGuard,hopLimit,enter")
                .containsEntry("predicates", "pathHasTarget,hopsSpent")
                .containsEntry("transforms.loopGuard.predicate", "pathHasTarget")
                .containsEntry("transforms.hopLimit.predicate", "hopsSpent")
                .containsEntry("transforms.enter.broker.id", TARGET)
                .containsEntry("predicates.pathHasTarget.broker.id", TARGET);
        for (String alias : List.of("loopGuard", "hopLimit", "enter")) {
            assertThat(Transformation.class).isAssignableFrom(Class.forName(connector.get("transforms." + alias + ".type")));
        }
        for (String alias : List.of("pathHasTarget", "hopsSpent")) {
            assertThat(Predicate.class).isAssignableFrom(Class.forName(connector.get("predicates." + alias + ".type")));
        }
    }

    @Test
    void linkGuardsOfTheConnectorConfigDropLoopsAndSpentBudgetsAndStampTheRest() {
        Map<String, String> connector = mirrorMaker.connectorBaseConfig(INCOMING.get(1), MirrorSourceConnector.class);
        TransformChain<SourceRecord> chain = TransformChain.from(connector);

        SourceRecord entered = chain.apply(LinkRecords.fromEuWest().build());

        assertThat(text(entered, "mesh_path")).isEqualTo("eu-west-1,us-east-1");
        assertThat(text(entered, "mesh_hops")).isEqualTo("15");
        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_path", "us-east-1,eu-west-1").build())).isNull();
        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_hops", "0").build())).isNull();
    }

    @Test
    void mirrorMakerDropsTopLevelTransformSettingsWhichIsWhyTheyArePerFlow() {
        Map<String, String> topLevel = new HashMap<>(props);
        topLevel.put("transforms", "probe");
        topLevel.put("transforms.probe.type", "org.apache.kafka.connect.transforms.Filter");

        Map<String, String> connector = new MirrorMakerConfig(topLevel)
                .connectorBaseConfig(new SourceAndTarget("eu-west-1", "us-east-1"), MirrorSourceConnector.class);

        assertThat(connector).doesNotContainKey("transforms.probe.type");
    }

    @Test
    void arrivalTopicIsWhatTheConfiguredReplicationPolicyNamesTheCopy() {
        for (SourceAndTarget flow : INCOMING) {
            DefaultReplicationPolicy policy = new DefaultReplicationPolicy();
            policy.configure(mirrorMaker.connectorBaseConfig(flow, MirrorSourceConnector.class));

            assertThat(LinkConfigs.arrivalTopic(flow.source(), TARGET))
                    .isEqualTo(policy.formatRemoteTopic(flow.source(), "mesh.link." + TARGET));
        }
        assertThat(LinkConfigs.arrivalTopic("eu-west-1", "us-east-1")).isEqualTo("eu-west-1.mesh.link.us-east-1");
        assertThat(props).containsEntry("replication.policy.class", DefaultReplicationPolicy.class.getName());
    }

    @Test
    void productionSettingsReachTheConfig() {
        Map<String, String> production = LinkConfigs.mirrorMakerFor(TARGET, "b:9092", NEIGHBOURS, LinkSettings.production());

        assertThat(production).containsEntry("replication.factor", "3")
                .containsEntry("config.storage.replication.factor", "3")
                .containsEntry("tasks.max", "4")
                .containsEntry("refresh.topics.interval.seconds", "60");
    }

    @Test
    void rejectsATopologyItCannotRender() {
        LinkSettings settings = LinkSettings.embedded();

        assertThatThrownBy(() -> LinkConfigs.mirrorMakerFor(TARGET, "b:9092", Map.of(), settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no neighbours");
        assertThatThrownBy(() -> LinkConfigs.mirrorMakerFor(TARGET, "b:9092", Map.of(TARGET, "c:9092"), settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its own neighbour");
        assertThatThrownBy(() -> LinkConfigs.mirrorMakerFor("US East", "b:9092", NEIGHBOURS, settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("US East");
        assertThatThrownBy(() -> LinkConfigs.mirrorMakerFor(TARGET, "b:9092", Map.of("eu.west", "c:9092"), settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eu.west");
        assertThatThrownBy(() -> LinkConfigs.mirrorMakerFor(TARGET, "b:9092", Map.of("eu-west-1", " "), settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eu-west-1");
        assertThatThrownBy(() -> LinkConfigs.arrivalTopic(TARGET, TARGET))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> configErrors(Connector connector, Map<String, String> config) {
        Config validated = connector.validate(config);
        return validated.configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .map(value -> value.name() + ": " + value.errorMessages())
                .toList();
    }

}
