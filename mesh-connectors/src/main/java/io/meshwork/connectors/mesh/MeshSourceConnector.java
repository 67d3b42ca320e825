package io.meshwork.connectors.mesh;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Drains a mesh region into a Connect topic: registers interest in a topic pattern (and optional
 * selector) in its region with a renewed lease, like an edge's subscription, so the mesh routes
 * the matching events of every region there; reads the region's {@code mesh.events} and writes
 * the matching events to {@value MeshSourceConfig#TARGET_TOPIC}. Source offsets are
 * {@code mesh.events} positions, so a restart resumes right after the last event it wrote.
 *
 * <p>One task: it reads every partition of {@code mesh.events}; {@code tasks.max} above 1 still
 * runs one.
 *
 * <pre>
 * connector.class=io.meshwork.connectors.mesh.MeshSourceConnector
 * mesh.region=ap-southeast-1
 * mesh.bootstrap.servers=127.0.0.1:39092
 * mesh.topic.pattern=orders/+/created
 * mesh.selector=amountCents &gt; 10000
 * topic=orders-from-mesh
 * value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * </pre>
 */
public class MeshSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new MeshSourceConfig(props); // fail fast, naming the key
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MeshSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    /** Records and offsets are deterministic (offsets are mesh.events positions), so exactly-once source works. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
        // Nothing held: the task owns the consumer and the interest.
    }

    @Override
    public ConfigDef config() {
        return MeshSourceConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return ConnectorVersion.get();
    }
}
