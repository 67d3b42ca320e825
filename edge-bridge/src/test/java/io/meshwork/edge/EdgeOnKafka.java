package io.meshwork.edge;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** One region's edge on its own real embedded Kafka cluster, with the topics an edge needs. */
public final class EdgeOnKafka implements AutoCloseable {

    public final EmbeddedKafkaCluster kafka;
    public final EdgeBridge edge;
    public final Publisher publisher;
    public final String streamUrl;

    private EdgeOnKafka(EmbeddedKafkaCluster kafka, EdgeBridge edge) {
        this.kafka = kafka;
        this.edge = edge;
        this.publisher = new Publisher("http://127.0.0.1:" + edge.httpPort());
        this.streamUrl = "ws://127.0.0.1:" + edge.httpPort() + "/v1/stream";
    }

    public static EdgeOnKafka start(String region) throws Exception {
        return start(region, config -> config);
    }

    /** As {@link #start(String)}, with the edge's settings adjusted, e.g. {@code config -> config.withGrpc(0)}. */
    public static EdgeOnKafka start(String region, UnaryOperator<EdgeConfig> settings) throws Exception {
        return start(region, Map.of(), settings);
    }

    /** As {@link #start(String, UnaryOperator)}, with {@code kafkaSettings} (without {@code kafka.}) given to every Kafka client of the edge. */
    public static EdgeOnKafka start(String region, Map<String, String> kafkaSettings, UnaryOperator<EdgeConfig> settings) throws Exception {
        return start(region, kafkaSettings, settings, io.meshwork.core.auth.AuthSettings.OFF);
    }

    /** As {@link #start(String, UnaryOperator)}, authenticating clients as {@code auth} says. */
    public static EdgeOnKafka start(String region, UnaryOperator<EdgeConfig> settings, io.meshwork.core.auth.AuthSettings auth)
            throws Exception {
        return start(region, Map.of(), settings, auth);
    }

    private static EdgeOnKafka start(String region, Map<String, String> kafkaSettings, UnaryOperator<EdgeConfig> settings,
                                     io.meshwork.core.auth.AuthSettings auth) throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(region));
        try {
            new TopicApplier(kafka.admin(), region).apply(TopicContract.embedded(region, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
            KafkaClients clients = KafkaClients.of(kafka.bootstrapServers());
            for (Map.Entry<String, String> setting : kafkaSettings.entrySet()) {
                clients = clients.with(setting.getKey(), setting.getValue());
            }
            return new EdgeOnKafka(kafka, EdgeBridge.start(settings.apply(EdgeConfig.defaults(region, clients).withHttp("127.0.0.1", 0)), auth));
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
