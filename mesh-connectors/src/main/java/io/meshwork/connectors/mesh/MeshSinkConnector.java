package io.meshwork.connectors.mesh;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Publishes the records of Connect topics into a mesh region: each record becomes a CloudEvent on
 * the region's {@code mesh.events}, exactly as an edge publishes it, and the mesh routes it to
 * every region with a matching subscriber. Offsets are committed only after the region's Kafka
 * acknowledged the events. A record that cannot be mapped fails with a message naming the
 * problem: under {@code errors.tolerance=all} Connect writes it to the dead letter queue
 * ({@code errors.deadletterqueue.topic.name}, with {@code errors.deadletterqueue.context.headers.enable=true}
 * the reason in {@code __connect.errors.exception.message}).
 *
 * <pre>
 * connector.class=io.meshwork.connectors.mesh.MeshSinkConnector
 * topics=orders
 * mesh.region=us-east-1
 * mesh.bootstrap.servers=127.0.0.1:19092
 * mesh.topic.source=field
 * mesh.topic.field=region
 * mesh.topic.template=orders/{}/created
 * </pre>
 */
public class MeshSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new MeshSinkConfig(props); // fail fast, naming the key
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MeshSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Nothing held: the tasks own the producers.
    }

    @Override
    public ConfigDef config() {
        return MeshSinkConfig.CONFIG_DEF;
    }

    /** Adds the rule no single key can check: a field source needs {@value MeshSinkConfig#TOPIC_FIELD}. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        String source = connectorConfigs.getOrDefault(MeshSinkConfig.TOPIC_SOURCE, "");
        String field = connectorConfigs.getOrDefault(MeshSinkConfig.TOPIC_FIELD, "");
        if (TopicSource.FIELD.configValue().equalsIgnoreCase(source.strip()) && field.isBlank()) {
            config.configValues().stream().filter(value -> value.name().equals(MeshSinkConfig.TOPIC_FIELD)).findFirst()
                    .ifPresent(value -> value.addErrorMessage(MeshSinkConfig.TOPIC_FIELD + " is required when "
                            + MeshSinkConfig.TOPIC_SOURCE + "=field"));
        }
        return config;
    }

    @Override
    public String version() {
        return ConnectorVersion.get();
    }
}
