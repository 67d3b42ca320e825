package io.meshwork.topology;

/**
 * A topology file that cannot be used, pointing at the offending key so the fix is obvious:
 * {@code <source>: <key>: <problem> (value: <value>)}, for example
 * {@code three-regions.yaml: links[0].between[1]: unknown region 'mars-1' (value: mars-1)}.
 * The {@code (value: ...)} part is left out when there is no value, e.g. for a missing field.
 */
public final class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The key used for problems with the document as a whole, such as malformed YAML. */
    public static final String DOCUMENT_KEY = "(document)";

    private final String source;
    private final String key;
    private final String problem;
    private final String value;

    /**
     * @param source  the file or resource name, as it should appear in the message
     * @param key     the path of the offending key, e.g. {@code regions[1].ports.kafka}
     * @param problem what is wrong, e.g. {@code missing required field}
     * @param value   the offending value as written, or null if there is none
     */
    public TopologyException(String source, String key, String problem, String value) {
        this(source, key, problem, value, null);
    }

    /**
     * @param source  the file or resource name, as it should appear in the message
     * @param key     the path of the offending key
     * @param problem what is wrong
     * @param value   the offending value as written, or null if there is none
     * @param cause   the underlying failure (parser or I/O), or null
     */
    public TopologyException(String source, String key, String problem, String value, Throwable cause) {
        super(format(source, key, problem, value), cause);
        this.source = source;
        this.key = key;
        this.problem = problem;
        this.value = value;
    }

    /** @return the file or resource name */
    public String source() {
        return source;
    }

    /** @return the path of the offending key, or {@value #DOCUMENT_KEY} */
    public String key() {
        return key;
    }

    /** @return what is wrong, without source, key or value */
    public String problem() {
        return problem;
    }

    /** @return the offending value as written, or null if there is none */
    public String value() {
        return value;
    }

    private static String format(String source, String key, String problem, String value) {
        String message = source + ": " + key + ": " + problem;
        return value == null ? message : message + " (value: " + value + ")";
    }
}
