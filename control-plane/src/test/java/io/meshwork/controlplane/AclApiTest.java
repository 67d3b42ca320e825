package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ACL API ({@code /v1/acls}) with auth on: admin only, bad input named by field, CRUD against the database. */
class AclApiTest {

    private static final Topology TOPOLOGY = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path keyDir;

    private static ControlPlane plane;
    private static String operator;
    private static String user;

    @BeforeAll
    static void start() {
        SigningKeys keys = SigningKeys.loadOrCreate(keyDir);
        operator = keys.mint(new SigningKeys.Grant("ops", List.of(), List.of(), List.of("admin")), Duration.ofMinutes(5));
        user = keys.mint(new SigningKeys.Grant("alice", List.of("#"), List.of("#"), List.of()), Duration.ofMinutes(5));
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY, null,
                List.of(), keys.authSettings(ControlPlaneKeys.AUTH));
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String entry(String principal, String action, String effect, String filter) {
        return "{\"principal\":\"" + principal + "\",\"action\":\"" + action + "\",\"effect\":\"" + effect + "\",\"topicFilter\":\""
                + filter + "\"}";
    }

    @Test
    void everyAclRequestNeedsTheAdminRoleReadsIncluded() throws Exception {
        String body = entry("bob", "publish", "allow", "orders/#");
        assertThat(send("POST", "/v1/acls", null, body).statusCode()).isEqualTo(401);
        var forbidden = send("POST", "/v1/acls", user, body);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"error\":\"NOT_AUTHORIZED\"");
        assertThat(send("GET", "/v1/acls", user, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/v1/acls/00000000-0000-0000-0000-000000000000", user, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/v1/acls?principal=bob", operator, null).body()).isEqualTo("{\"acls\":[]}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"action\":\"publish\",\"effect\":\"allow\",\"topicFilter\":\"a\"}|principal|MISSING_FIELD",
            "{\"principal\":\"  \",\"action\":\"publish\",\"effect\":\"allow\",\"topicFilter\":\"a\"}|principal|INVALID_PRINCIPAL",
            "{\"principal\":\"bob\",\"action\":\"read\",\"effect\":\"allow\",\"topicFilter\":\"a\"}|action|INVALID_ACTION",
            "{\"principal\":\"bob\",\"action\":\"publish\",\"effect\":\"maybe\",\"topicFilter\":\"a\"}|effect|INVALID_EFFECT",
            "{\"principal\":\"bob\",\"action\":\"publish\",\"effect\":\"allow\",\"topicFilter\":\"a/#/b\"}|topicFilter|INVALID_TOPIC_FILTER",
            "{\"principal\":\"bob\",\"action\":\"publish\",\"effect\":\"allow\",\"topicFilter\":7}|topicFilter|INVALID_FIELD",
            "[1,2]|body|MALFORMED_JSON"})
    void badInputIsA400NamingTheField(String body, String field, String code) throws Exception {
        var response = send("POST", "/v1/acls", operator, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("error").asText()).isEqualTo(code);
    }

    @Test
    void entriesAreCreatedListedByPrincipalAndDeleted() throws Exception {
        var created = send("POST", "/v1/acls", operator, entry("carol", "subscribe", "deny", "orders/secret/#"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode entry = JSON.readTree(created.body());
        String id = entry.get("aclId").asText();
        assertThat(entry.get("principal").asText()).isEqualTo("carol");
        assertThat(entry.get("action").asText()).isEqualTo("subscribe");
        assertThat(entry.get("effect").asText()).isEqualTo("deny");
        assertThat(entry.get("topicFilter").asText()).isEqualTo("orders/secret/#");
        assertThat(send("POST", "/v1/acls", operator, entry("dave", "publish", "allow", "x/+")).statusCode()).isEqualTo(201);
        var duplicate = send("POST", "/v1/acls", operator, entry("carol", "subscribe", "deny", "orders/secret/#"));
        assertThat(duplicate.statusCode()).isEqualTo(409);

        JsonNode carols = JSON.readTree(send("GET", "/v1/acls?principal=carol", operator, null).body()).get("acls");
        assertThat(carols).hasSize(1);
        assertThat(carols.get(0).get("aclId").asText()).isEqualTo(id);
        assertThat(send("GET", "/v1/acls/" + id, operator, null).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "/v1/acls/" + id, operator, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/v1/acls/" + id, operator, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/acls/not-a-uuid", operator, null).statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(send("GET", "/v1/acls?principal=carol", operator, null).body()).get("acls")).isEmpty();
    }
}
