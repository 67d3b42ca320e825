package io.meshwork.core.selector;

import java.util.Arrays;

/**
 * Makes a selector digestible for the Artemis parser, in one pass over its tokens.
 *
 * <ul>
 *   <li>Quotes dotted identifiers ({@code headers.region} → {@code "headers.region"}): the
 *       parser's lexer only knows plain and quoted identifiers.
 *   <li>Rejects what the lexer would reject, with a clearer reason and an exact position: a
 *       character outside the grammar, an unterminated string literal or quoted identifier.
 *       The lexer reports some of these one column off or only at the end of the input.
 *   <li>Rejects parentheses nested deeper than {@link Selector#MAX_NESTING}: the parser is
 *       recursive and overflows its stack at a few hundred levels.
 *   <li>Rejects {@code XPATH} and {@code XQUERY}: they would parse, then never match, because
 *       mesh events have no XML body to evaluate them against.
 * </ul>
 *
 * <p>String literals, quoted identifiers and comments are copied untouched. Comments follow the
 * lexer's rules exactly ({@code --} only counts as a comment when a line break follows,
 * {@code /*} only when it is closed), because a quote inside text that the lexer takes for a
 * comment must not be taken for the start of a string here, and vice versa.
 */
final class SelectorPreprocessor {

    private static final String OPERATORS = "=<>(),+-*/%";
    private static final String WHITESPACE = " \t\n\r\f";

    private final String expression;
    private final StringBuilder out;
    private int[] originalIndex;
    private int pos;
    private int depth;

    private SelectorPreprocessor(String expression) {
        this.expression = expression;
        this.out = new StringBuilder(expression.length() + 8);
        this.originalIndex = new int[expression.length() + 9];
    }

    /**
     * Prepares a selector for the parser.
     *
     * @param expression the selector as the caller gave it
     * @return the text for the parser and its map back to {@code expression}
     * @throws InvalidSelectorException on a lexical error or too deep nesting
     */
    static PreparedSelector prepare(String expression) {
        return new SelectorPreprocessor(expression).run();
    }

    private PreparedSelector run() {
        int n = expression.length();
        while (pos < n) {
            char c = expression.charAt(pos);
            if (c == '\'') {
                copyQuoted('\'', "unterminated string literal");
            } else if (c == '"') {
                copyQuoted('"', "unterminated quoted identifier");
            } else if (c == '-' && startsLineComment()) {
                copyThrough(lineCommentEnd());
            } else if (c == '/' && blockCommentEnd() >= 0) {
                copyThrough(blockCommentEnd());
            } else if (isIdentifierStart(c)) {
                identifier();
            } else if (isDigit(c) || c == '.' && pos + 1 < n && isDigit(expression.charAt(pos + 1))) {
                number();
            } else if (c == '(') {
                if (++depth > Selector.MAX_NESTING) {
                    throw invalid(pos, "parentheses nested deeper than " + Selector.MAX_NESTING);
                }
                copyThrough(pos);
            } else if (c == ')') {
                // An unbalanced ')' is the parser's to report; it knows what it expected instead.
                depth = Math.max(0, depth - 1);
                copyThrough(pos);
            } else if (OPERATORS.indexOf(c) >= 0 || WHITESPACE.indexOf(c) >= 0) {
                copyThrough(pos);
            } else {
                throw invalid(pos, "unexpected character " + describe(expression.codePointAt(pos)));
            }
        }
        originalIndex[out.length()] = n; // append() always leaves room for this end marker
        return new PreparedSelector(out.toString(), Arrays.copyOf(originalIndex, out.length() + 1));
    }

    // A literal or quoted identifier escapes its quote by doubling it ('it''s', "a""b").
    private void copyQuoted(char quote, String unterminated) {
        int n = expression.length();
        int i = pos + 1;
        while (true) {
            if (i >= n) {
                throw invalid(pos, unterminated);
            }
            if (expression.charAt(i) == quote) {
                if (i + 1 < n && expression.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        copyThrough(i);
    }

    private boolean startsLineComment() {
        return pos + 1 < expression.length() && expression.charAt(pos + 1) == '-' && lineCommentEnd() >= 0;
    }

    private int lineCommentEnd() {
        for (int i = pos + 2; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\n') {
                return i;
            }
            if (c == '\r') {
                return i + 1 < expression.length() && expression.charAt(i + 1) == '\n' ? i + 1 : i;
            }
        }
        return -1;
    }

    private int blockCommentEnd() {
        if (pos + 1 >= expression.length() || expression.charAt(pos + 1) != '*') {
            return -1;
        }
        int close = expression.indexOf("*/", pos + 2);
        return close < 0 ? -1 : close + 1;
    }

    private void identifier() {
        int start = pos;
        int end = identifierEnd(start);
        boolean dotted = false;
        while (end + 1 < expression.length()
                && expression.charAt(end) == '.'
                && isIdentifierStart(expression.charAt(end + 1))) {
            end = identifierEnd(end + 1);
            dotted = true;
        }
        String word = expression.substring(start, end);
        if (word.equalsIgnoreCase("XPATH") || word.equalsIgnoreCase("XQUERY")) {
            throw invalid(start, word.toUpperCase() + " selectors are not supported");
        }
        if (dotted) {
            append('"', start);
            copyThrough(end - 1);
            append('"', end);
        } else {
            copyThrough(end - 1);
        }
    }

    // Numbers are copied whole so that an exponent or a hex digit is not read as an identifier.
    private void number() {
        int i = pos;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            boolean signedExponent = (c == '+' || c == '-')
                    && (expression.charAt(i - 1) == 'e' || expression.charAt(i - 1) == 'E')
                    && i + 1 < n && isDigit(expression.charAt(i + 1));
            if (!(isIdentifierPart(c) || c == '.' || signedExponent)) {
                break;
            }
            i++;
        }
        copyThrough(i - 1);
    }

    private int identifierEnd(int start) {
        int i = start + 1;
        while (i < expression.length() && isIdentifierPart(expression.charAt(i))) {
            i++;
        }
        return i;
    }

    private void copyThrough(int lastInclusive) {
        for (; pos <= lastInclusive; pos++) {
            append(expression.charAt(pos), pos);
        }
    }

    private void append(char c, int from) {
        if (out.length() + 1 >= originalIndex.length) {
            originalIndex = Arrays.copyOf(originalIndex, originalIndex.length * 2);
        }
        originalIndex[out.length()] = from;
        out.append(c);
    }

    private InvalidSelectorException invalid(int position, String reason) {
        return new InvalidSelectorException(expression, position, reason);
    }

    private static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        return Character.isISOControl(codePoint) || !Character.isDefined(codePoint)
                ? hex
                : "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")";
    }

    // The lexer's identifiers are ASCII only: [a-zA-Z_$][a-zA-Z0-9_$]*.
    private static boolean isIdentifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
