package io.meshwork.core.selector;

import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.selector.filter.BooleanExpression;
import org.apache.activemq.artemis.selector.strict.ParseException;
import org.apache.activemq.artemis.selector.strict.StrictParser;
import org.apache.activemq.artemis.selector.strict.TokenMgrError;

/**
 * Runs the Artemis JMS selector parser and turns its failures into
 * {@link InvalidSelectorException}s positioned in the caller's expression.
 *
 * <p>The parser is called directly rather than through {@code SelectorParser.parse}: that
 * entry point switches modes on magic prefixes ({@code hyphenated_props:},
 * {@code convert_string_expressions:}), which a subscriber could otherwise smuggle in.
 */
final class SelectorCompiler {

    // The parser is generated with ERROR_REPORTING=false: its exceptions carry no token, only
    // "Parse error at line 1, column 13.  Encountered: <EOF>".
    private static final Pattern LOCATED = Pattern.compile(
            "(?:Parse|Lexical) error at line (\\d+), column (\\d+)\\.\\s*(?:Encountered: (.*))?", Pattern.DOTALL);
    private static final String EOF = "<EOF>";

    private SelectorCompiler() {
    }

    /**
     * Parses a prepared selector.
     *
     * @param expression the caller's expression, for error reports
     * @param prepared the same expression as {@link SelectorPreprocessor} prepared it
     * @return the evaluable expression tree
     * @throws InvalidSelectorException if the parser rejects it
     */
    static BooleanExpression compile(String expression, PreparedSelector prepared) {
        try {
            return new StrictParser(new StringReader(prepared.text())).JmsSelector();
        } catch (ParseException e) {
            throw located(expression, prepared, e.getMessage(), false);
        } catch (TokenMgrError e) {
            // The preprocessor rejects what it knows the lexer rejects; this is the safety net.
            throw located(expression, prepared, e.getMessage(), true);
        } catch (RuntimeException e) {
            // Semantic checks done while building the tree ('a' > 1, an ESCAPE of two chars,
            // = NULL) throw plain RuntimeExceptions that do not say where.
            throw new InvalidSelectorException(expression, -1, reasonOf(e));
        }
    }

    private static InvalidSelectorException located(
            String expression, PreparedSelector prepared, String message, boolean lexical) {
        Matcher m = message == null ? null : LOCATED.matcher(message.strip());
        if (m == null || !m.matches()) {
            return new InvalidSelectorException(expression, -1, message == null ? "syntax error" : message);
        }
        String encountered = m.group(3) == null ? "" : m.group(3).strip();
        if (encountered.startsWith(EOF)) {
            // The parser locates the end of input at the last token; the caller wants the end.
            return new InvalidSelectorException(expression, prepared.originalLength(), "unexpected end of input");
        }
        int offset = offsetOf(prepared.text(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        String reason = lexical ? "invalid token" : "unexpected " + quoted(encountered);
        return new InvalidSelectorException(expression, prepared.originalPosition(offset), reason);
    }

    /**
     * The char index of a 1-based (line, column) as the parser's SimpleCharStream counts them:
     * {@code \n}, {@code \r} and {@code \r\n} end a line, a tab is one column.
     */
    static int offsetOf(String text, int line, int column) {
        int currentLine = 1;
        int currentColumn = 0;
        boolean afterCr = false;
        boolean afterLf = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            currentColumn++;
            if (afterLf) {
                afterLf = false;
                currentLine++;
                currentColumn = 1;
            } else if (afterCr) {
                afterCr = false;
                if (c == '\n') {
                    afterLf = true;
                } else {
                    currentLine++;
                    currentColumn = 1;
                }
            }
            if (c == '\r') {
                afterCr = true;
            } else if (c == '\n') {
                afterLf = true;
            }
            if (currentLine == line && currentColumn == column) {
                return i;
            }
        }
        return text.length();
    }

    private static String quoted(String token) {
        return token.startsWith("'") || token.startsWith("\"") ? token : "'" + token + "'";
    }

    private static String reasonOf(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
