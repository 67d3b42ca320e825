package io.meshwork.core.config;

/**
 * A setting that is missing, malformed or out of range, naming the key exactly as users write it
 * (e.g. {@code edge.http.port}, {@code kafka.bootstrap.servers}). The loader adds where the value
 * came from (file, environment variable or flag) before the service reports it.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String key;
    private final String problem;

    /**
     * @param key     the key as users write it
     * @param problem what is wrong, e.g. {@code invalid value 'abc': not a number}
     */
    public InvalidSettingException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** An out-of-range value: {@code key: invalid value 'value': rule}. */
    public static InvalidSettingException invalid(String key, Object value, String rule) {
        return new InvalidSettingException(key, "invalid value '" + value + "': " + rule);
    }

    /** Throws {@link #invalid} unless {@code valid}. */
    public static void require(boolean valid, String key, Object value, String rule) {
        if (!valid) {
            throw invalid(key, value, rule);
        }
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
