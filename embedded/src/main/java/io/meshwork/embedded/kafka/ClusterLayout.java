package io.meshwork.embedded.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The concrete ports and directories of one start attempt of a cluster.
 *
 * @param clientPort       bound (and advertised) port of the CLIENT listener
 * @param controllerPort   bound port of the CONTROLLER listener
 * @param extraBoundPorts  bound port of each extra listener, by listener name
 * @param logDir           Kafka's log directory (also holds the KRaft metadata log)
 */
record ClusterLayout(int clientPort, int controllerPort, Map<String, Integer> extraBoundPorts, Path logDir) {

    ClusterLayout {
        extraBoundPorts = Map.copyOf(extraBoundPorts);
    }

    /** Picks free ports for everything the spec leaves open. */
    static ClusterLayout allocate(KafkaClusterSpec spec, Path logDir) {
        int client = spec.clientPort() != 0 ? spec.clientPort() : Ports.pickFree();
        Map<String, Integer> extra = new LinkedHashMap<>();
        for (ExtraListener listener : spec.extraListeners()) {
            extra.put(listener.name(), Ports.pickFree());
        }
        return new ClusterLayout(client, Ports.pickFree(), extra, logDir);
    }
}
