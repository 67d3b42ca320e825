package io.meshwork.controlplane;

import io.meshwork.core.auth.AuthKeys;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.Durations;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.config.PassThrough;
import io.meshwork.core.tls.TlsKeys;
import io.meshwork.core.tls.TlsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys of {@code mesh control-plane}, each declared once here, and how they become a
 * {@link ControlPlaneConfig}. The control plane serves every region, so it has no
 * {@code mesh.region}; it reads each region's cluster through {@code control-plane.regions.<region>.kafka.*}.
 */
public final class ControlPlaneKeys {

    public static final String HOST = "control-plane.host";
    public static final String PORT = "control-plane.port";
    public static final String DATABASE_URL = "control-plane.database.url";
    public static final String DATABASE_USER = "control-plane.database.user";
    public static final String DATABASE_PASSWORD = "control-plane.database.password";
    public static final String DATABASE_POOL_SIZE = "control-plane.database.pool.size";
    public static final String NODE_TIMEOUT = "control-plane.node.timeout";
    public static final String OTLP_ENDPOINT = "control-plane.otlp.endpoint";
    public static final String OTLP_PROTOCOL = "control-plane.otlp.protocol";
    public static final String OTLP_HEADERS = "control-plane.otlp.headers";
    public static final String OTLP_TIMEOUT = "control-plane.otlp.timeout";
    /** The only OTLP protocol served: the JDK's HttpClient sends it, with no gRPC or OkHttp stack. */
    public static final String OTLP_HTTP_PROTOBUF = "http/protobuf";
    /** Prefix of the admin API's token keys ({@link AuthKeys}): control-plane.auth.enabled, .jwks.file, .issuer, .audience... */
    public static final String AUTH = "control-plane.auth";

    /** {@code control-plane.regions.<region>.kafka.*}: each region's cluster. */
    public static final PassThrough REGIONS = new PassThrough("control-plane.regions.<region>.kafka.",
            "Kafka client settings of each region's cluster (bootstrap.servers required, security.protocol, sasl.*, ssl.*, ...): "
                    + "the control plane reads its mesh.heartbeats, mesh.traces and link states and writes routing rules into "
                    + "its mesh.interest. A region without them is shown from the topology alone.");

    /** Prefix of the control plane's TLS keys ({@code control-plane.tls.*}, see {@link TlsKeys}). */
    public static final String PREFIX = "control-plane.";

    private ControlPlaneKeys() {
    }

    /** Every key {@code mesh control-plane} reads. */
    public static ConfigSchema schema() {
        ConfigDef keys = MeshKeys.startupCheck(MeshKeys.topology(new ConfigDef()))
                .define(HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.MEDIUM,
                        "Interface the ops API (and dashboard, /metrics) binds to.")
                .define(PORT, Type.INT, null, ConfigSchema.optional(Range.between(0, 65535)), Importance.HIGH,
                        "Ops API port; 0 picks a free one. Default: the topology's controlPlane.port.")
                .define(DATABASE_URL, Type.STRING, null, Importance.HIGH,
                        "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/mesh) for the directory, rules and traces. "
                                + "Default: an embedded PostgreSQL, thrown away with the control plane.")
                .define(DATABASE_USER, Type.STRING, null, Importance.HIGH,
                        "Database user; required with " + DATABASE_URL + ".")
                .define(DATABASE_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "Database password; never logged. Best set through MESH_CONTROL_PLANE_DATABASE_PASSWORD.")
                .define(DATABASE_POOL_SIZE, Type.INT, DatabaseSettings.DEFAULT_POOL_SIZE, Range.between(1, 100), Importance.LOW,
                        "Database connection pool size.")
                .define(NODE_TIMEOUT, Type.STRING, Durations.format(ControlPlaneConfig.DEFAULT_NODE_TIMEOUT),
                        ConfigSchema.duration(d -> d.toMillis() >= 500, "500ms or more"), Importance.LOW,
                        "A node whose last heartbeat is older than this is marked OFFLINE.")
                .define(OTLP_ENDPOINT, Type.STRING, "", ControlPlaneKeys::validEndpoint, Importance.MEDIUM,
                        "OpenTelemetry collector to which every trace hop read from mesh.traces is sent as a span (OTLP/HTTP, "
                                + "protobuf), e.g. http://localhost:4318 (" + OtlpSettings.TRACES_PATH + " is added when the URL "
                                + "has no path). Spans join the publisher's trace through the event's traceparent. Empty: no export.")
                .define(OTLP_PROTOCOL, Type.STRING, OTLP_HTTP_PROTOBUF, ControlPlaneKeys::validProtocol, Importance.LOW,
                        "OTLP transport: http/protobuf (the collector's port 4318). grpc is not supported.")
                .define(OTLP_HEADERS, Type.PASSWORD, null, Importance.LOW,
                        "Headers sent with every export, as name=value,name2=value2 (e.g. Authorization=Bearer ...); "
                                + "never logged. Best set through MESH_CONTROL_PLANE_OTLP_HEADERS.")
                .define(OTLP_TIMEOUT, Type.STRING, Durations.format(OtlpSettings.DEFAULT_TIMEOUT),
                        ConfigSchema.duration(d -> d.toMillis() >= 1 && d.toSeconds() <= 300, "1ms..5m"), Importance.LOW,
                        "How long one export to the collector may take before its spans count as failed.");
        TlsKeys.define(keys, PREFIX, "the ops API port");
        AuthKeys.define(keys, AUTH);
        return new ConfigSchema("control-plane", keys, List.of(REGIONS));
    }

    /**
     * The control plane's settings from its loaded configuration.
     *
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad or missing value
     */
    public static AuthSettings auth(MeshConfig config) {
        return AuthKeys.build(config, AUTH);
    }

    public static ControlPlaneConfig build(MeshConfig config) {
        Integer port = config.integer(PORT);
        if (port == null) {
            throw config.error(new io.meshwork.core.config.InvalidSettingException(PORT, "missing required value"));
        }
        String url = config.string(DATABASE_URL);
        Password password = config.password(DATABASE_PASSWORD);
        return config.build(() -> new ControlPlaneConfig(config.string(HOST), port,
                new DatabaseSettings(url, config.string(DATABASE_USER), password == null ? null : password.value(),
                        config.integer(DATABASE_POOL_SIZE)),
                config.kafkaByName(REGIONS), config.duration(NODE_TIMEOUT), otlp(config)));
    }

    private static OtlpSettings otlp(MeshConfig config) {
        String endpoint = config.string(OTLP_ENDPOINT);
        if (endpoint == null || endpoint.isBlank()) {
            return OtlpSettings.OFF;
        }
        Password headers = config.password(OTLP_HEADERS);
        return new OtlpSettings(URI.create(endpoint.trim()), OtlpSettings.parseHeaders(headers == null ? null : headers.value()),
                config.duration(OTLP_TIMEOUT));
    }

    private static void validEndpoint(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
            return;
        }
        try {
            URI uri = new URI(value.toString().trim());
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new ConfigException(name, value, "must be an http:// or https:// URL with a host, e.g. http://localhost:4318");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(name, value, "not a URL: " + e.getReason());
        }
    }

    private static void validProtocol(String name, Object value) {
        if (!OTLP_HTTP_PROTOBUF.equals(value)) {
            throw new ConfigException(name, value, "grpc".equals(value)
                    ? "OTLP over gRPC is not supported; use http/protobuf (the collector's port 4318)"
                    : "must be http/protobuf");
        }
    }

    /**
     * The TLS of the ops API ({@code control-plane.tls.*}); the stores are opened once here.
     *
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static TlsSettings tls(MeshConfig config) {
        return TlsKeys.build(config, PREFIX);
    }
}
