package io.meshwork.core.topic;

/**
 * Thrown when a string is not a valid {@link TopicName} or {@link TopicPattern}.
 *
 * <p>It is an {@link IllegalArgumentException}, so protocol edges can answer every bad topic
 * with one catch: HTTP 400, gRPC {@code INVALID_ARGUMENT}, an MQTT SUBACK failure. The message
 * names the input, the problem and the position, for example
 * {@code invalid topic pattern 'orders/#/x': '#' must be the last level (position 7)}.
 */
public final class InvalidTopicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Inputs are echoed in the message; a client may send megabytes, logs should not get them. */
    private static final int MAX_ECHOED_CHARS = 80;

    private final String input;
    private final String problem;
    private final int position;

    InvalidTopicException(String subject, String input, String problem, int position) {
        super(message(subject, input, problem, position));
        this.input = input;
        this.problem = problem;
        this.position = position;
    }

    /**
     * The rejected input, unabridged.
     *
     * @return the input as given, or {@code null} if the input was null
     */
    public String input() {
        return input;
    }

    /**
     * The problem alone, without input and position, e.g. {@code '+' must occupy a whole level};
     * suitable as a reason string in a protocol answer.
     *
     * @return a short description of the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * Where the problem is.
     *
     * @return the 0-based char index of the offending character in {@link #input()}, or -1 if
     *     the problem is not at one place (null or empty input)
     */
    public int position() {
        return position;
    }

    private static String message(String subject, String input, String problem, int position) {
        StringBuilder sb = new StringBuilder("invalid ").append(subject);
        if (input != null) {
            sb.append(" '");
            appendPrintable(sb, input);
            sb.append('\'');
        }
        sb.append(": ").append(problem);
        if (position >= 0) {
            sb.append(" (position ").append(position).append(')');
        }
        return sb.toString();
    }

    // Control characters (NUL above all) are escaped so the message is safe to log and to put
    // into an HTTP or MQTT reason.
    private static void appendPrintable(StringBuilder sb, String input) {
        int end = Math.min(input.length(), MAX_ECHOED_CHARS);
        for (int i = 0; i < end; i++) {
            char c = input.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPaired(input, i)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (end < input.length()) {
            sb.append("...");
        }
    }

    private static boolean isPaired(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
