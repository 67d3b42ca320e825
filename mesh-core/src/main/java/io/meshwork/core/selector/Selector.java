package io.meshwork.core.selector;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.activemq.artemis.selector.filter.BooleanExpression;
import org.apache.activemq.artemis.selector.filter.FilterException;

/**
 * A subscription's selector filter: an SQL-92 conditional expression as in JMS 1.1 message
 * selectors (section 3.8.1), e.g. {@code amountCents > 10000 AND currency = 'USD'} or
 * {@code headers.region IN ('ap','eu')}, evaluated against a {@link SelectorContext} (which
 * documents how identifiers find header and payload values).
 *
 * <p>Parsed once by {@link #parse(String)}; {@link #matches(SelectorContext)} only evaluates,
 * and is safe to call from any number of threads. Equal expressions make equal selectors.
 *
 * <h2>Grammar</h2>
 * <ul>
 *   <li>Comparison {@code = <> < > <= >=}; logic {@code AND OR NOT}; {@code [NOT] BETWEEN a AND
 *       b}; {@code [NOT] IN ('x', 'y')} (string literals only); {@code [NOT] LIKE 'p%t_rn'
 *       [ESCAPE '!']}; {@code IS [NOT] NULL}; arithmetic {@code + - * /}, unary {@code -}, and
 *       {@code %} (modulo, beyond JMS).
 *   <li>Literals: strings in single quotes ({@code ''} escapes a quote), integers (also
 *       {@code 0x1F} hex and {@code 017} octal), decimals ({@code 1.5}, {@code .5},
 *       {@code 1e3}), {@code TRUE}, {@code FALSE}. Keywords are case-insensitive, identifiers
 *       case-sensitive. Dotted identifiers ({@code headers.region}) are written as they are;
 *       any identifier may also be double-quoted. SQL comments ({@code --} up to a line break,
 *       <code>/* *&#47;</code>) are allowed.
 *   <li>At most {@value #MAX_LENGTH} characters and {@value #MAX_NESTING}
 *       levels of parentheses; {@code XPATH} and {@code XQUERY} are not supported.
 * </ul>
 *
 * <h2>Types and operators</h2>
 * Integers and decimals compare by value ({@code 14900 = 14900.0}). Strings compare only for
 * equality: {@code <}, {@code >} etc. with a string literal is a syntax error. A comparison of a
 * number with a string or a boolean is false rather than an error; {@code LIKE} only matches
 * strings. Where the Artemis evaluator departs from JMS or SQL (pinned by the tests):
 * <ul>
 *   <li>{@code NOT} binds tighter than comparison: {@code NOT a = 'x'} means
 *       {@code (NOT a) = 'x'}, which never matches a non-boolean {@code a}. Write
 *       {@code NOT (a = 'x')} or {@code a <> 'x'}.
 *   <li>{@code /} divides in floating point: {@code 3 / 2 = 1.5}, and {@code x / 0} is
 *       infinite, not an error.
 *   <li>{@code +} with a string operand concatenates ({@code currency + 'X' = 'USDX'}); other
 *       arithmetic on a string is an evaluation error, which does not match.
 * </ul>
 *
 * <h2>NULL</h2>
 * An identifier without a value is NULL, and the three-valued logic of SQL applies: a
 * comparison, {@code IN}, {@code LIKE} or {@code BETWEEN} with NULL is UNKNOWN, so is its
 * {@code NOT}; {@code UNKNOWN AND FALSE} is FALSE, {@code UNKNOWN OR TRUE} is TRUE. A selector
 * matches only when it is TRUE: with {@code x} absent neither {@code x > 1} nor
 * {@code NOT (x > 1)} nor {@code x <> 'a'} matches, and {@code x IS NULL} does. One departure
 * of the underlying Artemis evaluator: {@code x = y} with both absent is TRUE.
 */
public final class Selector {

    /** Longest expression accepted, in chars. */
    public static final int MAX_LENGTH = 4096;

    /** Deepest nesting of parentheses accepted; the parser is recursive. */
    public static final int MAX_NESTING = 100;

    /** The selector of an empty or blank expression: matches every event. */
    public static final Selector ACCEPT_ALL = new Selector("", null);

    private final String expression;
    private final BooleanExpression compiled;
    private final ConcurrentMap<String, Identifier> identifiers = new ConcurrentHashMap<>(4);

    private Selector(String expression, BooleanExpression compiled) {
        this.expression = expression;
        this.compiled = compiled;
    }

    /**
     * Parses a selector.
     *
     * @param expression the selector text; empty or blank for none
     * @return the parsed selector, {@link #ACCEPT_ALL} for an empty or blank expression
     * @throws InvalidSelectorException if the expression is not a valid selector or longer
     *     than {@value #MAX_LENGTH} chars
     * @throws NullPointerException if {@code expression} is null
     */
    public static Selector parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidSelectorException(expression, MAX_LENGTH,
                    "longer than " + MAX_LENGTH + " characters (" + expression.length() + ")");
        }
        if (expression.isBlank()) {
            return ACCEPT_ALL;
        }
        PreparedSelector prepared = SelectorPreprocessor.prepare(expression);
        return new Selector(expression, SelectorCompiler.compile(expression, prepared));
    }

    /**
     * Whether the event described by {@code context} satisfies this selector, i.e. the
     * expression evaluates to TRUE (not FALSE, not UNKNOWN). Never throws for any event
     * content: type mismatches and malformed payloads make the selector not match.
     *
     * @param context the event's headers and payload
     * @return true if the selector accepts the event
     */
    public boolean matches(SelectorContext context) {
        Objects.requireNonNull(context, "context");
        if (compiled == null) {
            return true;
        }
        try {
            return compiled.matches(new ContextFilterable(identifiers, context));
        } catch (FilterException | RuntimeException e) {
            // The evaluator signals some type mismatches (arithmetic on a string, division of
            // integers by zero) by throwing; for a filter that is the same answer as UNKNOWN.
            return false;
        }
    }

    /**
     * The expression as given to {@link #parse(String)}; empty for {@link #ACCEPT_ALL}.
     *
     * @return the selector text
     */
    public String expression() {
        return expression;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector other && expression.equals(other.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /** The expression. */
    @Override
    public String toString() {
        return expression;
    }
}
