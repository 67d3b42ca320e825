package io.meshwork.core.selector;

/**
 * Thrown by {@link Selector#parse(String)} when an expression is not a valid selector.
 *
 * <p>It is an {@link IllegalArgumentException}, so protocol edges can answer every bad selector
 * with one catch: HTTP 400, gRPC {@code INVALID_ARGUMENT}, an MQTT SUBACK failure. The message
 * names the expression, the position and the reason, for example
 * {@code invalid selector 'amountCents >' at position 13: unexpected end of input}.
 */
public final class InvalidSelectorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Expressions are echoed in the message; a client may send kilobytes, logs should not get them. */
    private static final int MAX_ECHOED_CHARS = 120;

    private final String expression;
    private final String reason;
    private final int position;

    InvalidSelectorException(String expression, int position, String reason) {
        super(message(expression, position, reason));
        this.expression = expression;
        this.reason = reason;
        this.position = position;
    }

    /**
     * The rejected expression, unabridged.
     *
     * @return the expression as the caller gave it
     */
    public String expression() {
        return expression;
    }

    /**
     * The problem alone, without expression and position, e.g. {@code unexpected end of input};
     * suitable as a reason string in a protocol answer.
     *
     * @return a short description of the problem
     */
    public String reason() {
        return reason;
    }

    /**
     * Where the problem is.
     *
     * @return the 0-based char index in {@link #expression()} of the problem (the expression's
     *     length when the expression ended too early), or -1 when the parser does not say where
     *     (e.g. a string compared with {@code >})
     */
    public int position() {
        return position;
    }

    private static String message(String expression, int position, String reason) {
        StringBuilder sb = new StringBuilder("invalid selector '");
        appendPrintable(sb, expression);
        sb.append('\'');
        if (position >= 0) {
            sb.append(" at position ").append(position);
        }
        return sb.append(": ").append(reason).toString();
    }

    // Control characters are escaped so the message is safe to log and to put into an HTTP or
    // MQTT reason (selectors may span lines).
    private static void appendPrintable(StringBuilder sb, String expression) {
        int end = Math.min(expression.length(), MAX_ECHOED_CHARS);
        for (int i = 0; i < end; i++) {
            char c = expression.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (end < expression.length()) {
            sb.append("...");
        }
    }
}
