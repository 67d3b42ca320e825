package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {

    private static final Topology TOPOLOGY = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
    private final HttpClient client = HttpClient.newHttpClient();

    /** The WAN switch as the control plane sees it: a set of cut links. */
    private static final class CutLinks implements LinkAdmin {
        private final Set<String> cut = new HashSet<>();
        private final java.util.List<String> history = new java.util.concurrent.CopyOnWriteArrayList<>();

        private static String key(String a, String b) {
            return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        }

        @Override
        public synchronized void cut(String a, String b) {
            cut.add(key(a, b));
            history.add("cut " + key(a, b));
        }

        @Override
        public synchronized void heal(String a, String b) {
            cut.remove(key(a, b));
            history.add("heal " + key(a, b));
        }

        @Override
        public synchronized boolean isUp(String a, String b) {
            return !cut.contains(key(a, b));
        }
    }

    private HttpResponse<String> send(String method, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWhenEveryPartIsUpAndDegradedOtherwise() throws Exception {
        boolean[] edgeUp = {true};
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, null,
                List.of(new HealthCheck("kafka/us-east-1", () -> true), new HealthCheck("edge/us-east-1", () -> edgeUp[0])))) {
            var up = send("GET", plane.port(), "/v1/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"edge/us-east-1\":\"UP\"");

            edgeUp[0] = false;
            var degraded = send("GET", plane.port(), "/v1/health");
            assertThat(degraded.statusCode()).isEqualTo(503);
            assertThat(degraded.body()).contains("\"status\":\"DEGRADED\"").contains("\"edge/us-east-1\":\"DOWN\"");
        }
    }

    @Test
    void cutAndHealChangeTheLinkStateShownInTopology() throws Exception {
        var links = new CutLinks();
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, links, List.of())) {
            var cut = send("POST", plane.port(), "/v1/admin/links/ap-southeast-1/us-east-1/cut");
            assertThat(cut.statusCode()).isEqualTo(200);
            assertThat(cut.body()).contains("\"state\":\"DOWN\"");
            assertThat(links.isUp("us-east-1", "ap-southeast-1")).isFalse();
            assertThat(send("GET", plane.port(), "/v1/topology").body())
                    .contains("{\"a\":\"us-east-1\",\"b\":\"ap-southeast-1\",\"rttMs\":180,\"state\":\"DOWN\"}")
                    .contains("{\"a\":\"us-east-1\",\"b\":\"eu-west-1\",\"rttMs\":70,\"state\":\"UP\"}");

            var heal = send("POST", plane.port(), "/v1/admin/links/us-east-1/ap-southeast-1/heal");
            assertThat(heal.body()).contains("\"state\":\"UP\"");
            assertThat(links.isUp("us-east-1", "ap-southeast-1")).isTrue();
        }
    }

    @Test
    void unknownLinkOrActionOrMissingEmulatorIsA404NamingTheProblem() throws Exception {
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, new CutLinks(), List.of())) {
            var unknown = send("POST", plane.port(), "/v1/admin/links/us-east-1/mars-1/cut");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("UNKNOWN_REGION").contains("mars-1");
            var action = send("POST", plane.port(), "/v1/admin/links/us-east-1/eu-west-1/explode");
            assertThat(action.statusCode()).isEqualTo(404);
            assertThat(action.body()).contains("UNKNOWN_ACTION");
        }
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, null, List.of())) {
            var none = send("POST", plane.port(), "/v1/admin/links/us-east-1/eu-west-1/cut");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("NO_WAN_EMULATOR");
        }
    }

    @Test
    void flapCutsAndHealsTheLinkRepeatedlyAndEndsHealed() throws Exception {
        var links = new CutLinks();
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, links, List.of())) {
            var flap = send("POST", plane.port(), "/v1/admin/links/us-east-1/eu-west-1/flap?times=3&periodMs=40");
            assertThat(flap.statusCode()).isEqualTo(202);
            assertThat(flap.body()).contains("\"flaps\":3").contains("\"periodMs\":40");

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> links.history.size() == 6);
            assertThat(links.history).containsExactly("cut eu-west-1|us-east-1", "heal eu-west-1|us-east-1",
                    "cut eu-west-1|us-east-1", "heal eu-west-1|us-east-1", "cut eu-west-1|us-east-1", "heal eu-west-1|us-east-1");
            assertThat(links.isUp("us-east-1", "eu-west-1")).isTrue();

            var bad = send("POST", plane.port(), "/v1/admin/links/us-east-1/eu-west-1/flap?times=zero");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("\"field\":\"times\"");
        }
    }

    @Test
    void isolateCutsEveryLinkOfARegionAndRejoinHealsThem() throws Exception {
        var links = new CutLinks();
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, links, List.of())) {
            var isolate = send("POST", plane.port(), "/v1/admin/regions/ap-southeast-1/isolate");
            assertThat(isolate.statusCode()).isEqualTo(200);
            assertThat(isolate.body()).contains("\"cutFrom\":[\"us-east-1\",\"eu-west-1\"]");
            assertThat(links.isUp("ap-southeast-1", "us-east-1")).isFalse();
            assertThat(links.isUp("ap-southeast-1", "eu-west-1")).isFalse();
            assertThat(links.isUp("us-east-1", "eu-west-1")).isTrue();

            send("POST", plane.port(), "/v1/admin/regions/ap-southeast-1/rejoin");
            assertThat(links.isUp("ap-southeast-1", "us-east-1")).isTrue();
            assertThat(links.isUp("ap-southeast-1", "eu-west-1")).isTrue();

            assertThat(send("POST", plane.port(), "/v1/admin/regions/mars-1/isolate").statusCode()).isEqualTo(404);
        }
    }
}
