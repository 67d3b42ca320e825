package io.meshwork.edge;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.util.Map;

/** One region's edge on its own real embedded Kafka cluster, with the topics an edge needs. */
final class EdgeOnKafka implements AutoCloseable {

    final EmbeddedKafkaCluster kafka;
    final EdgeBridge edge;
    final Publisher publisher;
    final String streamUrl;

    private EdgeOnKafka(EmbeddedKafkaCluster kafka, EdgeBridge edge) {
        this.kafka = kafka;
        this.edge = edge;
        this.publisher = new Publisher("http://127.0.0.1:" + edge.httpPort());
        this.streamUrl = "ws://127.0.0.1:" + edge.httpPort() + "/v1/stream";
    }

    static EdgeOnKafka start(String region) throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(region));
        try {
            kafka.createTopic(MeshKafkaTopics.EVENTS, 3, Map.of());
            kafka.createTopic(MeshKafkaTopics.INTEREST, 1, Map.of("cleanup.policy", "compact"));
            kafka.createTopic(MeshKafkaTopics.ROUTES, 1, Map.of("cleanup.policy", "compact"));
            return new EdgeOnKafka(kafka, EdgeBridge.start(EdgeConfig.defaults(region, kafka.bootstrapServers()).withHttp("127.0.0.1", 0)));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            edge.close();
        } finally {
            kafka.close();
        }
    }
}
