package io.meshwork.controlplane;

import io.meshwork.core.config.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the control plane sends trace hops as OpenTelemetry spans (OTLP over HTTP, protobuf).
 * Validated when built, naming the key at fault.
 *
 * @param endpoint the collector's traces URL ({@code http://collector:4318/v1/traces}), or
 *                 {@code null}: no export
 * @param headers  HTTP headers sent with every export (e.g. {@code Authorization}); their values
 *                 are secrets and never printed
 * @param timeout  how long one export may take before it counts as failed
 */
public record OtlpSettings(URI endpoint, Map<String, String> headers, Duration timeout) {

    /** OTLP/HTTP's path for traces, appended to an endpoint given without a path. */
    public static final String TRACES_PATH = "/v1/traces";
    /** The OTLP exporters' own default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** No export. */
    public static final OtlpSettings OFF = new OtlpSettings(null, Map.of(), DEFAULT_TIMEOUT);

    public OtlpSettings {
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            InvalidSettingException.require(("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && endpoint.getHost() != null, ControlPlaneKeys.OTLP_ENDPOINT, endpoint,
                    "must be an http:// or https:// URL with a host, e.g. http://localhost:4318");
            if (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || "/".equals(endpoint.getRawPath())) {
                endpoint = endpoint.resolve(TRACES_PATH);
            }
        }
        Objects.requireNonNull(headers, "headers");
        headers.forEach((name, value) -> InvalidSettingException.require(name != null && name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
                && value != null, ControlPlaneKeys.OTLP_HEADERS, name, "each header must be name=value with a valid HTTP header name"));
        headers = Map.copyOf(new LinkedHashMap<>(headers));
        InvalidSettingException.require(timeout != null && !timeout.isNegative() && !timeout.isZero(), ControlPlaneKeys.OTLP_TIMEOUT,
                timeout, "must be positive");
    }

    /** Export to {@code endpoint} ({@code /v1/traces} appended when it has no path), with the default timeout and no headers. */
    public static OtlpSettings to(URI endpoint) {
        return new OtlpSettings(Objects.requireNonNull(endpoint, "endpoint"), Map.of(), DEFAULT_TIMEOUT);
    }

    /** Whether hops are exported at all. */
    public boolean enabled() {
        return endpoint != null;
    }

    public OtlpSettings withHeaders(Map<String, String> values) {
        return new OtlpSettings(endpoint, values, timeout);
    }

    public OtlpSettings withTimeout(Duration value) {
        return new OtlpSettings(endpoint, headers, value);
    }

    /**
     * Parses {@code name=value,name2=value2} (the form of {@code OTEL_EXPORTER_OTLP_HEADERS}).
     *
     * @throws InvalidSettingException naming {@link ControlPlaneKeys#OTLP_HEADERS} for an entry without {@code =}
     */
    public static Map<String, String> parseHeaders(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return headers;
        }
        for (String entry : text.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                // Only the header's name (or nothing) is shown: the value may be a token.
                throw new InvalidSettingException(ControlPlaneKeys.OTLP_HEADERS, "each entry must be name=value, got one without '=' "
                        + "or without a name");
            }
            headers.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return headers;
    }

    @Override
    public String toString() {
        return enabled() ? "OTLP/HTTP to " + endpoint + " (headers " + headers.keySet() + ", timeout " + timeout + ")" : "OTLP off";
    }
}
