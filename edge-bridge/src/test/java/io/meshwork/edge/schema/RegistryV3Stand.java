package io.meshwork.edge.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Apicurio Registry 3.x serving the part of its REST API v3 the edge reads
 * ({@code system/info}, the group's artifacts, an artifact's labels, its latest version, a version's content), and
 * the artifact creation the test uses: a real registry process could not be built here (see
 * docs/ARCHITECTURE.md, "Payload schemas"). The test registers schemas through the registry's own
 * create call ({@code POST /groups/{g}/artifacts}), so it runs unchanged against a real registry
 * given as {@code -Dmeshwork.apicurio.url=http://...}.
 */
final class RegistryV3Stand implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/apis/registry/v3";

    private record Artifact(String group, String id, String type, Map<String, String> labels, String version, long globalId,
                            String content) {
    }

    private final HttpServer server;
    private final Map<String, Artifact> artifacts = new LinkedHashMap<>();
    private final AtomicLong globalIds = new AtomicLong();

    private RegistryV3Stand(HttpServer server) {
        this.server = server;
    }

    static RegistryV3Stand start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        RegistryV3Stand stand = new RegistryV3Stand(server);
        server.createContext(API + "/groups/", stand::handle);
        server.createContext(API + "/system/info", exchange -> {
            try (exchange) {
                answer(exchange, 200, "{\"name\":\"RegistryV3Stand\",\"version\":\"3-stand\"}");
            }
        });
        server.start();
        return stand;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getRawPath().substring((API + "/groups/").length()).split("/");
            for (int i = 0; i < path.length; i++) {
                path[i] = URLDecoder.decode(path[i], StandardCharsets.UTF_8);
            }
            String group = path[0];
            if ("POST".equals(exchange.getRequestMethod()) && path.length == 2 && path[1].equals("artifacts")) {
                create(exchange, group, JSON.readTree(exchange.getRequestBody()));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) || path.length < 2 || !path[1].equals("artifacts")) {
                answer(exchange, 405, "{}");
                return;
            }
            if (path.length == 2) {
                ObjectNode page = JSON.createObjectNode();
                var list = page.putArray("artifacts");
                artifacts.values().stream().filter(a -> a.group().equals(group)).forEach(a -> list.addObject()
                        .put("groupId", a.group()).put("artifactId", a.id()).put("artifactType", a.type()));
                page.put("count", list.size());
                answer(exchange, list.isEmpty() ? 404 : 200, page.toString());
                return;
            }
            Artifact artifact = artifacts.get(group + "/" + path[2]);
            if (artifact == null) {
                answer(exchange, 404, "{\"status\":404}");
            } else if (path.length == 3) {
                ObjectNode meta = JSON.createObjectNode().put("groupId", group).put("artifactId", artifact.id())
                        .put("artifactType", artifact.type());
                meta.set("labels", JSON.valueToTree(artifact.labels()));
                answer(exchange, 200, meta.toString());
            } else if (path.length == 5 && path[3].equals("versions") && path[4].equals("branch=latest")) {
                answer(exchange, 200, JSON.createObjectNode().put("version", artifact.version())
                        .put("globalId", artifact.globalId()).put("artifactType", artifact.type()).toString());
            } else if (path.length == 6 && path[3].equals("versions") && path[4].equals(artifact.version()) && path[5].equals("content")) {
                answer(exchange, 200, artifact.content());
            } else {
                answer(exchange, 404, "{\"status\":404}");
            }
        }
    }

    private void create(HttpExchange exchange, String group, JsonNode body) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        body.path("labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        JsonNode first = body.path("firstVersion");
        Artifact artifact = new Artifact(group, body.path("artifactId").asText(), body.path("artifactType").asText(), labels,
                first.path("version").asText("1"), globalIds.incrementAndGet(), first.path("content").path("content").asText());
        artifacts.put(group + "/" + artifact.id(), artifact);
        answer(exchange, 200, JSON.createObjectNode().set("artifact", JSON.createObjectNode()
                .put("groupId", group).put("artifactId", artifact.id())).toString());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
