package io.meshwork.edge.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the schema bindings of one registry group through Apicurio Registry's REST API v3, with
 * {@code java.net.http}: the Apicurio Java SDK 3.x is not usable from Maven Central here (its
 * {@code apicurio-registry-java-sdk-common} is not served), and the four read-only calls below are
 * all the edge needs.
 *
 * <p>Each read first checks {@code GET /system/info}, so that a URL that is not a registry's fails
 * the read instead of looking like a registry without schemas.
 *
 * <p>A binding is an artifact of the group whose label {@value #TOPIC_LABEL} holds a mesh topic
 * pattern; its latest version is the schema (artifact type {@code JSON} or {@code AVRO}). A
 * version's content is fetched and compiled only when its {@code globalId} is new.
 */
public final class ApicurioRegistry implements BindingSource {

    /** The artifact label that binds an artifact to the mesh topics its pattern matches. */
    public static final String TOPIC_LABEL = "mesh.topic";

    static final String API = "/apis/registry/v3";
    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private final URI base;
    private final String group;
    private final String region;
    private final HttpClient http;
    private final Duration timeout;
    /** Artifacts already reported as unusable, by id and version, so that each is logged once, not at every refresh. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param base    the registry's base URL, e.g. {@code http://127.0.0.1:8081}
     * @param timeout how long one request may take
     */
    public ApicurioRegistry(URI base, String group, String region, Duration timeout) {
        String text = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.group = Objects.requireNonNull(group, "group");
        this.region = Objects.requireNonNull(region, "region");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Reads every binding of the group; an artifact that cannot serve as one (no or bad label,
     * unsupported type, content that does not compile) is skipped and logged once.
     *
     * @param known bindings read before, reused when their version is unchanged
     * @throws IOException when the registry cannot be read: not reachable, or an unexpected answer
     */
    @Override
    public List<SchemaBinding> read(List<SchemaBinding> known) throws IOException, InterruptedException {
        // A 404 below means "no such group" only if this is a registry at all: a wrong URL must not read as "no schemas".
        JsonNode info = get("/system/info");
        if (info == null || !info.has("version")) {
            throw new IOException("no Apicurio Registry REST API v3 at " + base + " (GET " + API + "/system/info)");
        }
        Map<String, SchemaBinding> previous = new HashMap<>();
        known.forEach(binding -> previous.put(binding.artifactId(), binding));
        List<SchemaBinding> bindings = new ArrayList<>();
        for (String artifactId : artifactIds()) {
            JsonNode artifact = get(artifactPath(artifactId));
            if (artifact == null) {
                continue; // deleted since the listing
            }
            String label = artifact.path("labels").path(TOPIC_LABEL).asText(null);
            if (label == null) {
                continue; // not a binding: the group may hold other artifacts
            }
            JsonNode version = get(artifactPath(artifactId) + "/versions/branch=latest");
            if (version == null) {
                continue;
            }
            long globalId = version.path("globalId").asLong(-1);
            SchemaBinding before = previous.get(artifactId);
            if (before != null && before.globalId() == globalId && before.pattern().value().equals(label)) {
                bindings.add(before);
                continue;
            }
            String versionName = version.path("version").asText();
            String type = artifact.path("artifactType").asText(version.path("artifactType").asText("")).toUpperCase(Locale.ROOT);
            compile(artifactId, label, versionName, globalId, type).ifPresent(bindings::add);
        }
        return List.copyOf(bindings);
    }

    private java.util.Optional<SchemaBinding> compile(String artifactId, String label, String version, long globalId, String type)
            throws IOException, InterruptedException {
        String what = "artifact " + group + "/" + artifactId + " version " + version;
        TopicPattern pattern;
        try {
            pattern = TopicPattern.parse(label.strip());
        } catch (InvalidTopicException e) {
            reportOnce(what, "its label " + TOPIC_LABEL + "=" + label + " is not a topic pattern: " + e.getMessage());
            return java.util.Optional.empty();
        }
        String contentPath = artifactPath(artifactId) + "/versions/" + segment(version) + "/content";
        HttpResponse<String> content = send(contentPath);
        if (content.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        expectOk(contentPath, content);
        PayloadSchema schema;
        try {
            schema = switch (type) {
                case "JSON" -> JsonSchemaCheck.compile(content.body());
                case "AVRO" -> AvroCheck.compile(content.body());
                default -> throw new IllegalArgumentException("artifact type " + type + " is not one the edge checks (JSON, AVRO)");
            };
        } catch (IllegalArgumentException e) {
            reportOnce(what, e.getMessage());
            return java.util.Optional.empty();
        }
        LOG.info("region {}: schema {} ({}) bound to topics {}", region, what, type, pattern);
        return java.util.Optional.of(new SchemaBinding(pattern, artifactId, globalId, URI.create(base + API + contentPath), schema));
    }

    private List<String> artifactIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = get("/groups/" + segment(group) + "/artifacts?limit=" + PAGE + "&offset=" + offset);
            if (page == null) {
                return ids; // no such group yet: no bindings
            }
            JsonNode artifacts = page.path("artifacts");
            artifacts.forEach(artifact -> ids.add(artifact.path("artifactId").asText()));
            if (artifacts.size() < PAGE || ids.size() >= page.path("count").asInt(0)) {
                return ids;
            }
        }
    }

    private String artifactPath(String artifactId) {
        return "/groups/" + segment(group) + "/artifacts/" + segment(artifactId);
    }

    /** The JSON answer at {@code path}, or {@code null} when the registry answers 404. */
    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path);
        if (response.statusCode() == 404) {
            return null;
        }
        expectOk(path, response);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + API + path)).timeout(timeout).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void expectOk(String path, HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            String body = response.body() == null ? "" : response.body();
            throw new IOException("GET " + API + path + " answered " + response.statusCode() + ": "
                    + body.substring(0, Math.min(200, body.length())));
        }
    }

    private void reportOnce(String what, String problem) {
        if (reported.add(what)) {
            LOG.warn("region {}: {} is not used as a payload schema: {}", region, what, problem);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
