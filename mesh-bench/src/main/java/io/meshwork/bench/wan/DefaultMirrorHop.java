package io.meshwork.bench.wan;

import static org.awaitility.Awaitility.await;

import io.meshwork.bench.harness.BenchMesh;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.mirror.MirrorMaker;

/**
 * The baseline hop: a MirrorMaker 2 with its default settings (only replication factors lowered
 * to the single-broker clusters), pulling one topic from {@code from} into {@code to} across the
 * same emulated WAN link the mesh's own links use. It mirrors everything: broadcast, no interest.
 * The mirrored topic in {@code to} is {@code <SOURCE_ALIAS>.<topic>}.
 */
public final class DefaultMirrorHop implements AutoCloseable {

    /** Source cluster alias; not a region name, so its internal topics never meet the mesh's links. */
    public static final String SOURCE_ALIAS = "bench-src";
    private static final String TARGET_ALIAS = "bench-dst";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final MirrorMaker mirrorMaker;

    private DefaultMirrorHop(MirrorMaker mirrorMaker) {
        this.mirrorMaker = mirrorMaker;
    }

    /** Starts mirroring {@code topic} (which must exist already) from {@code from} to {@code to}. */
    public static DefaultMirrorHop start(BenchMesh mesh, String from, String to, String topic) {
        Map<String, String> props = new HashMap<>();
        props.put("clusters", SOURCE_ALIAS + "," + TARGET_ALIAS);
        // The client lives in the target region and reaches the source through the WAN emulator.
        props.put(SOURCE_ALIAS + ".bootstrap.servers", "127.0.0.1:" + mesh.mesh().wan().link(to, from).port());
        props.put(TARGET_ALIAS + ".bootstrap.servers", mesh.mesh().region(to).bootstrapServers());
        props.put(SOURCE_ALIAS + "->" + TARGET_ALIAS + ".enabled", "true");
        props.put(SOURCE_ALIAS + "->" + TARGET_ALIAS + ".topics", topic.replace(".", "\\."));
        props.put(TARGET_ALIAS + "->" + SOURCE_ALIAS + ".enabled", "false");
        for (String key : List.of("replication.factor", "checkpoints.topic.replication.factor", "heartbeats.topic.replication.factor",
                "offset-syncs.topic.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor",
                "config.storage.replication.factor")) {
            props.put(key, "1");
        }
        // How Connect finds its plugins; it changes nothing on the data path and silences a warning.
        props.put("plugin.discovery", "service_load");
        MirrorMaker mirrorMaker = new MirrorMaker(props, List.of(TARGET_ALIAS));
        mirrorMaker.start();
        return new DefaultMirrorHop(mirrorMaker);
    }

    /** The mirrored topic's name in the target cluster. */
    public static String mirrored(String topic) {
        return SOURCE_ALIAS + "." + topic;
    }

    /** Waits until MirrorMaker created the mirrored topic, i.e. its source task runs; there is no callback for it. */
    public void awaitMirrored(BenchMesh mesh, String region, String mirroredTopic) {
        await("MirrorMaker 2 creating " + mirroredTopic + " in " + region).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> mesh.mesh().cluster(region).admin().listTopics().names().get(10, TimeUnit.SECONDS).contains(mirroredTopic));
    }

    @Override
    public void close() {
        mirrorMaker.stop();
    }
}
