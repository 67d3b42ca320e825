package io.meshwork.core.config;

/**
 * A configuration a service cannot start with. Its message is the one line the service prints:
 * where the value came from (file, environment variable, flag), the key, and the problem, e.g.
 * {@code config/us-east-1/edge.yaml: edge.http.port: invalid value 'abc': not a number}.
 */
public final class ConfigError extends RuntimeException {

    private final String source;
    private final String key;

    public ConfigError(String source, String key, String problem) {
        super(source + ": " + key + ": " + problem, null, false, false);
        this.source = source;
        this.key = key;
    }

    /** The file, environment variable or flag the faulty value came from. */
    public String source() {
        return source;
    }

    /** The key as users write it. */
    public String key() {
        return key;
    }
}
