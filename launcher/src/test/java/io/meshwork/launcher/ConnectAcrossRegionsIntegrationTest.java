package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.connectors.mesh.ConnectWorker;
import io.meshwork.connectors.mesh.MeshSourceConnector;
import io.meshwork.edge.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector across regions on the shared three-region mesh: a real Connect worker on
 * ap-southeast-1's cluster runs a {@link MeshSourceConnector}, whose interest the mesh routes, so
 * events published through us-east-1's REST edge reach its Connect topic, and events of other
 * topics do not.
 */
@Tag("integration")
@Timeout(240)
class ConnectAcrossRegionsIntegrationTest {

    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    @Test
    void aSourceConnectorInApSoutheastGetsEventsPublishedInUsEastThroughItsRoutedInterest() throws Exception {
        EmbeddedMesh mesh = SHARED.mesh();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String base = "connect-xr/" + run;
        String target = "connect-xr-" + run;
        String apKafka = mesh.region(AP).bootstrapServers();
        mesh.cluster(AP).createTopic(target, 1, Map.of());
        Publisher us = new Publisher(mesh.region(US).httpUrl());

        try (ConnectWorker worker = ConnectWorker.start(apKafka)) {
            worker.put("xr-source", Map.of(
                    "connector.class", MeshSourceConnector.class.getName(),
                    "tasks.max", "1",
                    "mesh.region", AP,
                    "mesh.bootstrap.servers", apKafka,
                    "mesh.topic.pattern", base + "/+",
                    "topic", target));
            worker.awaitRunning("xr-source");

            // The interest needs a moment to reach us-east-1's router: probe until one crosses.
            AtomicInteger probes = new AtomicInteger();
            await("a probe from us-east-1 on the Connect topic in ap-southeast-1").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        assertThat(us.publishOn(base + "/probe", "probe-" + run + "-" + probes.incrementAndGet(), "{}").statusCode())
                                .isEqualTo(202);
                        return !ids(apKafka, target).isEmpty();
                    });

            assertThat(us.publishOn(base + "/a/b", "deep-" + run, "{}").statusCode()).isEqualTo(202); // + is one level
            assertThat(us.publishOn("connect-other/" + run + "/x", "other-" + run, "{}").statusCode()).isEqualTo(202);
            assertThat(us.publishOn(base + "/orders", "order-1-" + run, "{\"amountCents\":1}").statusCode()).isEqualTo(202);
            assertThat(us.publishOn(base + "/orders", "order-2-" + run, "{\"amountCents\":2}").statusCode()).isEqualTo(202);

            List<String> ids = await("both orders in ap-southeast-1").atMost(Duration.ofSeconds(60))
                    .until(() -> ids(apKafka, target), found -> found.contains("order-2-" + run));
            assertThat(ids.stream().filter(id -> !id.startsWith("probe-")))
                    .containsExactly("order-1-" + run, "order-2-" + run);
            assertThat(ids).doesNotHaveDuplicates();
            worker.delete("xr-source");
        }
    }

    private static List<String> ids(String bootstrapServers, String topic) {
        return ConnectWorker.readAll(bootstrapServers, topic).stream().map(r -> ConnectWorker.header(r, "ce_id")).toList();
    }
}
