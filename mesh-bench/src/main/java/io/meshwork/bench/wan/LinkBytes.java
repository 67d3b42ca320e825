package io.meshwork.bench.wan;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** Byte counters of one region pair at one moment; subtract two to get what a phase cost. */
record LinkBytes(double eventBytes, long wireBytes, long spoolBytesOnDisk) {

    /**
     * @param from region whose router writes the spool
     * @param to   neighbour the spool leads to
     */
    static LinkBytes of(BenchMesh mesh, String from, String to) throws Exception {
        // Both directed links of the pair: a fetch's request goes one way and its data the other.
        long wire = mesh.mesh().wan().link(from, to).bytesForwarded() + mesh.mesh().wan().link(to, from).bytesForwarded();
        return new LinkBytes(BenchMesh.linkBytes(from, to), wire, bytesOnDisk(mesh, from, MeshKafkaTopics.link(to)));
    }

    LinkBytes minus(LinkBytes earlier) {
        return new LinkBytes(eventBytes - earlier.eventBytes, wireBytes - earlier.wireBytes, spoolBytesOnDisk - earlier.spoolBytesOnDisk);
    }

    /** Bytes of a topic's log segments in {@code region}: its batches as stored, and as a fetch carries them. */
    static long bytesOnDisk(BenchMesh mesh, String region, String topic) throws Exception {
        Admin admin = mesh.mesh().cluster(region).admin();
        var brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
        return admin.describeLogDirs(brokers).allDescriptions().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(dirs -> dirs.values().stream()).flatMap(dir -> dir.replicaInfos().entrySet().stream())
                .filter(replica -> replica.getKey().topic().equals(topic))
                .mapToLong(replica -> replica.getValue().size()).sum();
    }
}
