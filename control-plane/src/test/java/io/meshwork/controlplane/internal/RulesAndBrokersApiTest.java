package io.meshwork.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.DatabaseSettings;
import io.meshwork.controlplane.TestDatabases;
import io.meshwork.controlplane.internal.db.ControlPlaneDatabase;
import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.core.directory.NodeHeartbeat;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.directory.NodeStatus;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The brokers and rules API on a control plane whose PostgreSQL is reached by JDBC URL. */
class RulesAndBrokersApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane plane;
    private static ControlPlaneDatabase seeding;
    private static String edgeId;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        DatabaseSettings db = TestDatabases.fresh();
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(db),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of());
        seeding = ControlPlaneDatabase.open(db);
        BrokerDirectory directory = new BrokerDirectory(seeding.dsl());
        long now = System.currentTimeMillis();
        directory.heartbeat(new NodeHeartbeat("edge-ap-1", NodeRole.EDGE, "ap-southeast-1", "10.0.3.1", "http://10.0.3.1:38080",
                NodeStatus.ACTIVE, 5, 10, now));
        directory.heartbeat(new NodeHeartbeat("edge-ap-2", NodeRole.EDGE, "ap-southeast-1", "10.0.3.2", "http://10.0.3.2:38080",
                NodeStatus.ACTIVE, 1, 10, now));
        directory.heartbeat(new NodeHeartbeat("router-ap-southeast-1", NodeRole.ROUTER, "ap-southeast-1", "10.0.3.9", null,
                NodeStatus.ACTIVE, 0, 3, now));
        edgeId = directory.list("ap-southeast-1", null).stream().filter(n -> n.getBrokerName().equals("edge-ap-1"))
                .findFirst().orElseThrow().getBrokerId().toString();
    }

    @AfterAll
    static void stop() {
        seeding.close();
        plane.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsBrokersByRegionAndStatusAndAllocatesTheLeastLoadedEdge() throws Exception {
        JsonNode all = JSON.readTree(send("GET", "/v1/brokers?region=ap-southeast-1", null).body()).get("brokers");
        assertThat(all).hasSize(3);
        JsonNode offline = JSON.readTree(send("GET", "/v1/brokers?status=OFFLINE", null).body()).get("brokers");
        assertThat(offline).isEmpty();

        var allocated = send("GET", "/v1/brokers/allocate?region=ap-southeast-1", null);
        assertThat(allocated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(allocated.body()).get("brokerName").asText()).isEqualTo("edge-ap-2");
        assertThat(JSON.readTree(allocated.body()).get("endpoint").asText()).isEqualTo("http://10.0.3.2:38080");

        assertThat(send("GET", "/v1/brokers/allocate?region=mars-1", null).statusCode()).isEqualTo(503);
        var badStatus = send("GET", "/v1/brokers?status=SLEEPY", null);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("\"field\":\"status\"");
        assertThat(send("GET", "/v1/brokers/allocate", null).body()).contains("\"field\":\"region\"");
    }

    @Test
    void createsReadsUpdatesAndDeletesARule() throws Exception {
        var created = send("POST", "/v1/rules", """
                {"sourceTopicPattern":"orders/+/audit","destinationBrokerId":"%s","filterExpression":"amountCents > 100"}"""
                .formatted(edgeId));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode rule = JSON.readTree(created.body());
        String id = rule.get("ruleId").asText();
        assertThat(rule.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(rule.get("destinationRegion").asText()).isEqualTo("ap-southeast-1");

        assertThat(JSON.readTree(send("GET", "/v1/rules/" + id, null).body()).get("sourceTopicPattern").asText())
                .isEqualTo("orders/+/audit");
        var suspended = send("PUT", "/v1/rules/" + id, "{\"status\":\"SUSPENDED\"}");
        assertThat(suspended.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(suspended.body()).get("status").asText()).isEqualTo("SUSPENDED");
        assertThat(JSON.readTree(suspended.body()).get("filterExpression").asText()).isEqualTo("amountCents > 100");
        assertThat(JSON.readTree(send("GET", "/v1/rules?status=SUSPENDED", null).body()).get("rules").toString()).contains(id);

        assertThat(send("DELETE", "/v1/rules/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/rules/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesBadRulesNamingTheField() throws Exception {
        assertRefused(send("POST", "/v1/rules", "{\"sourceTopicPattern\":\"orders/#/x\",\"destinationBrokerId\":\"" + edgeId + "\"}"),
                400, "INVALID_TOPIC_PATTERN", "sourceTopicPattern");
        assertRefused(send("POST", "/v1/rules", "{\"sourceTopicPattern\":\"orders/#\",\"destinationBrokerId\":\"" + edgeId
                + "\",\"filterExpression\":\"amount >\"}"), 400, "INVALID_FILTER", "filterExpression");
        assertRefused(send("POST", "/v1/rules", "{\"sourceTopicPattern\":\"orders/#\",\"destinationBrokerId\":\"not-a-uuid\"}"),
                400, "INVALID_BROKER_ID", "destinationBrokerId");
        assertRefused(send("POST", "/v1/rules", "{\"sourceTopicPattern\":\"orders/#\",\"destinationBrokerId\":\""
                + "00000000-0000-0000-0000-000000000000\"}"), 400, "UNKNOWN_BROKER", "destinationBrokerId");
        assertRefused(send("POST", "/v1/rules", "{\"destinationBrokerId\":\"" + edgeId + "\"}"), 400, "MISSING_FIELD",
                "sourceTopicPattern");
        assertRefused(send("POST", "/v1/rules", "{\"sourceTopicPattern\":\"a/b\",\"destinationBrokerId\":\"" + edgeId
                + "\",\"status\":\"PAUSED\"}"), 400, "INVALID_STATUS", "status");
        assertRefused(send("POST", "/v1/rules", "{not json"), 400, "MALFORMED_JSON", "body");
        assertRefused(send("GET", "/v1/rules/123", null), 400, "INVALID_RULE_ID", "id");

        String rule = "{\"sourceTopicPattern\":\"billing/#\",\"destinationBrokerId\":\"" + edgeId + "\"}";
        assertThat(send("POST", "/v1/rules", rule).statusCode()).isEqualTo(201);
        assertRefused(send("POST", "/v1/rules", rule), 409, "DUPLICATE_RULE", "sourceTopicPattern");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("field").asText()).isEqualTo(field);
    }
}
