package io.meshwork.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidSelectorTest {

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("amountCents >", 13, "unexpected end of input"),
                Arguments.of("a = 'unterminated", 4, "unterminated string literal"),
                Arguments.of("a = 'it''s", 4, "unterminated string literal"),
                Arguments.of("a = \"quoted", 4, "unterminated quoted identifier"),
                Arguments.of("a IN ()", 6, "unexpected ')'"),
                Arguments.of("a IN (1, 2)", 6, "unexpected '1'"),
                Arguments.of("a IN ('x',)", 10, "unexpected ')'"),
                Arguments.of("a LIKE", 6, "unexpected end of input"),
                Arguments.of("a LIKE 5", 7, "unexpected '5'"),
                Arguments.of("AND b = 1", 0, "unexpected 'AND'"),
                Arguments.of("a = 1 AND", 9, "unexpected end of input"),
                Arguments.of("a BETWEEN 1", 11, "unexpected end of input"),
                Arguments.of("(a = 1", 6, "unexpected end of input"),
                Arguments.of("((a = 1) OR b = 2", 17, "unexpected end of input"),
                Arguments.of("a = 1)", 5, "unexpected ')'"),
                Arguments.of("(a = 1))", 7, "unexpected ')'"),
                Arguments.of("x >< 1", 3, "unexpected '<'"),
                Arguments.of("a = 1 @", 6, "unexpected character '@' (U+0040)"),
                Arguments.of("a != 1", 2, "unexpected character '!' (U+0021)"),
                Arguments.of("r\u00e9gion = 'ap'", 1, "unexpected character '\u00e9' (U+00E9)"),
                Arguments.of("a = 1\u0000", 5, "unexpected character U+0000"),
                Arguments.of("a. = 1", 1, "unexpected character '.' (U+002E)"),
                Arguments.of("XPATH '//order'", 0, "XPATH selectors are not supported"),
                Arguments.of("a = 1 OR xquery 'x'", 9, "XQUERY selectors are not supported"));
    }

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @MethodSource("syntaxErrors")
    void reportsWhereAndWhySyntaxIsInvalid(String expression, int position, String reason) {
        assertThatThrownBy(() -> Selector.parse(expression))
                .isInstanceOfSatisfying(InvalidSelectorException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.expression()).isEqualTo(expression);
                });
    }

    @Test
    void namesExpressionPositionAndReasonInTheMessage() {
        assertThatThrownBy(() -> Selector.parse("amountCents >"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid selector 'amountCents >' at position 13: unexpected end of input");
    }

    @Test
    void reportsPositionsInTheCallersTextAlthoughDottedIdentifiersAreRewritten() {
        assertThatThrownBy(() -> Selector.parse("headers.region >< 1 AND headers.type = 'x'"))
                .isInstanceOfSatisfying(InvalidSelectorException.class,
                        e -> assertThat(e.position()).isEqualTo(16));
        assertThatThrownBy(() -> Selector.parse("headers.region IN ('ap', 'eu') AND AND"))
                .isInstanceOfSatisfying(InvalidSelectorException.class,
                        e -> assertThat(e.position()).isEqualTo(35));
        assertThatThrownBy(() -> Selector.parse("headers.region IN ('ap',"))
                .isInstanceOfSatisfying(InvalidSelectorException.class,
                        e -> assertThat(e.position()).isEqualTo(24));
    }

    @Test
    void countsPositionsAcrossLineBreaksOfEveryKind() {
        // The parser stops at '>': AND wants an operand.
        assertThat(positionOf("a = 1\nAND > 2")).isEqualTo(10);
        assertThat(positionOf("a = 1\r\nAND > 2")).isEqualTo(11);
        assertThat(positionOf("a = 1\rAND > 2")).isEqualTo(10);
        assertThat(positionOf("a = 1 -- note\n\tAND > 2")).isEqualTo(19);
        assertThat(positionOf("a = 1 /* two\nlines */ AND > 2")).isEqualTo(26);
    }

    @Test
    void rejectsSemanticErrorsWithoutAPosition() {
        assertThat(failureOf("currency > 'USD'").position()).isEqualTo(-1);
        assertThat(failureOf("currency > 'USD'").reason()).contains("cannot be compared");
        assertThat(failureOf("a = NULL").position()).isEqualTo(-1);
        assertThat(failureOf("TRUE = 1").position()).isEqualTo(-1);
        assertThat(failureOf("a LIKE 'x' ESCAPE 'ab'").reason()).contains("ESCAPE");
        assertThat(failureOf("1 + 1").reason()).contains("will not result in a boolean value");
        assertThat(failureOf("currency > 'USD'").getMessage())
                .isEqualTo("invalid selector 'currency > 'USD'': " + failureOf("currency > 'USD'").reason());
    }

    @Test
    void rejectsExpressionsLongerThanTheLimit() {
        String padded = "a = 1" + " ".repeat(Selector.MAX_LENGTH - 5);
        assertThat(Selector.parse(padded).expression()).hasSize(Selector.MAX_LENGTH);

        String tooLong = padded + " ";
        InvalidSelectorException e = failureOf(tooLong);
        assertThat(e.position()).isEqualTo(Selector.MAX_LENGTH);
        assertThat(e.reason()).isEqualTo("longer than 4096 characters (4097)");
        assertThat(e.getMessage()).hasSizeLessThan(200).contains("...");
    }

    @Test
    void rejectsBlankExpressionsOverTheLimitToo() {
        assertThat(failureOf(" ".repeat(Selector.MAX_LENGTH + 1)).position()).isEqualTo(Selector.MAX_LENGTH);
    }

    @Test
    void rejectsParenthesesNestedDeeperThanTheLimit() {
        int max = Selector.MAX_NESTING;
        String deepest = "(".repeat(max) + "a = 1" + ")".repeat(max);
        assertThat(Selector.parse(deepest).matches(Events.headers(Map.of("a", "1")))).isTrue();

        InvalidSelectorException e = failureOf("(".repeat(max + 1) + "a = 1" + ")".repeat(max + 1));
        assertThat(e.position()).isEqualTo(max);
        assertThat(e.reason()).isEqualTo("parentheses nested deeper than " + max);
    }

    @Test
    void neverOverflowsTheStackOnPathologicalInputWithinTheLimit() {
        Stream.of(
                        "NOT ".repeat(1000) + "a",
                        "a = " + "- ".repeat(2000) + "1",
                        "a = " + "+ ".repeat(2000) + "1",
                        "a = 1" + " AND a = 1".repeat(400),
                        "a" + " + a".repeat(1000) + " = 1",
                        "a IN (" + "'x', ".repeat(800) + "'y')",
                        "(".repeat(2000))
                .forEach(expression -> assertThatCode(() -> {
                    try {
                        Selector.parse(expression).matches(Events.headers(Map.of("a", "1")));
                    } catch (InvalidSelectorException expected) {
                        // rejecting is fine too; crashing is not
                    }
                }).as(expression.substring(0, 20)).doesNotThrowAnyException());
    }

    @Test
    void escapesControlCharactersInTheMessage() {
        assertThat(failureOf("a = 1\nAND").getMessage())
                .isEqualTo("invalid selector 'a = 1\\u000AAND' at position 9: unexpected end of input");
    }

    @Test
    void rejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> Selector.parse(null));
    }

    private static int positionOf(String expression) {
        return failureOf(expression).position();
    }

    private static InvalidSelectorException failureOf(String expression) {
        try {
            Selector.parse(expression);
        } catch (InvalidSelectorException e) {
            return e;
        }
        throw new AssertionError("expected '" + expression + "' to be rejected");
    }
}
