package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's files and endpoints on a control plane without Kafka: what the pages are served from. */
@Timeout(60)
class DashboardEndpointsTest {

    private static final Topology TOPOLOGY = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The embedded mesh's WAN switch, reduced to a set of cut links. */
    private static final class CutLinks implements LinkAdmin {
        private final Set<String> cut = ConcurrentHashMap.newKeySet();

        @Override
        public void cut(String a, String b) {
            cut.add(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
        }

        @Override
        public void heal(String a, String b) {
            cut.remove(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
        }

        @Override
        public boolean isUp(String a, String b) {
            return !cut.contains(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
        }
    }

    private static ControlPlane embedded;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        embedded = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY,
                new CutLinks(), List.of());
    }

    @AfterAll
    static void stop() {
        embedded.close();
    }

    private HttpResponse<String> get(ControlPlane plane, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootServesThePagesFromTheJar() throws Exception {
        HttpResponse<String> index = get(embedded, "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(index.body()).contains("<script src=\"app.js\"></script>").contains("id=\"map\"");
        HttpResponse<String> script = get(embedded, "/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("new EventSource('/v1/dashboard/stream')");
        assertThat(get(embedded, "/style.css").statusCode()).isEqualTo(200);
    }

    @Test
    void theSnapshotStreamPushesTheTopologyWithACutLinkDown() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + embedded.port()
                + "/v1/admin/links/us-east-1/eu-west-1/cut")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + embedded.port()
                + "/v1/dashboard/stream")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        JsonNode snapshot;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while (!(line = lines.readLine()).equals("event: snapshot")) {
                // comments or keep-alives before the first event
            }
            line = lines.readLine();
            assertThat(line).startsWith("data: ");
            snapshot = JSON.readTree(line.substring("data: ".length()));
        } finally {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + embedded.port()
                    + "/v1/admin/links/us-east-1/eu-west-1/heal")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(snapshot.get("drills").asBoolean()).isTrue();
        assertThat(snapshot.at("/topology/regions").findValuesAsText("name")).containsExactlyInAnyOrder("us-east-1", "eu-west-1", "ap-southeast-1");
        for (JsonNode link : snapshot.at("/topology/links")) {
            boolean cut = link.get("a").asText().equals("us-east-1") && link.get("b").asText().equals("eu-west-1");
            assertThat(link.get("state").asText()).as(link.toString()).isEqualTo(cut ? "DOWN" : "UP");
        }
        assertThat(snapshot.get("traffic").isArray()).isTrue();
    }

    @Test
    void withoutAWanEmulatorTheSnapshotSaysThereAreNoDrillsAndInterestIsEmpty() throws Exception {
        try (ControlPlane real = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()),
                TOPOLOGY, null, List.of())) {
            JsonNode snapshot = JSON.readTree(get(real, "/v1/dashboard/snapshot").body());
            assertThat(snapshot.get("drills").asBoolean()).isFalse();
            assertThat(snapshot.at("/topology/links").findValuesAsText("state")).containsOnly("UNKNOWN");
            assertThat(JSON.readTree(get(real, "/v1/dashboard/interest").body()).get("regions").size()).isZero();
        }
    }
}
