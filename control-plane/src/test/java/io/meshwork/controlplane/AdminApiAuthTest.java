package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With auth on, the admin API (drills, rules, broker status) needs a token with the admin role; reads stay open. */
class AdminApiAuthTest {

    private static final Topology TOPOLOGY = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path keyDir;

    private HttpResponse<String> send(String method, int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminRequestsNeedATokenWithTheAdminRoleAndReadsStayOpen() throws Exception {
        SigningKeys keys = SigningKeys.loadOrCreate(keyDir);
        String operator = keys.mint(new SigningKeys.Grant("ops", List.of(), List.of(), List.of("admin")), Duration.ofMinutes(5));
        String user = keys.mint(new SigningKeys.Grant("alice", List.of("#"), List.of("#"), List.of()), Duration.ofMinutes(5));
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()), TOPOLOGY,
                null, List.of(), keys.authSettings(ControlPlaneKeys.AUTH))) {
            int port = plane.port();
            var anonymous = send("GET", port, "/v1/rules", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"error\":\"UNAUTHENTICATED\"");
            assertThat(send("POST", port, "/v1/admin/links/eu-west-1/us-east-1/cut", "not-a-jwt").statusCode()).isEqualTo(401);
            var forbidden = send("DELETE", port, "/v1/rules/1", user);
            assertThat(forbidden.statusCode()).isEqualTo(403);
            assertThat(forbidden.body()).contains("\"error\":\"NOT_AUTHORIZED\"").contains("alice");
            assertThat(send("PUT", port, "/v1/brokers/b1/status", user).statusCode()).isEqualTo(403);
            assertThat(send("GET", port, "/v1/rules", operator).statusCode()).isEqualTo(200);
            assertThat(send("GET", port, "/v1/topology", null).statusCode()).isEqualTo(200);
            assertThat(send("GET", port, "/v1/brokers", null).statusCode()).isEqualTo(200);
        }
    }
}
