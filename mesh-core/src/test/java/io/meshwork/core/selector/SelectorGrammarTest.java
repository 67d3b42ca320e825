package io.meshwork.core.selector;

import static io.meshwork.core.selector.Events.json;
import static io.meshwork.core.selector.Events.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorGrammarTest {

    private static final SelectorContext ORDER = json("""
            {"amountCents": 14900, "currency": "USD", "rate": 1.25, "express": true,
             "sku": "AB_12%", "note": "it's", "customer": {"tier": "gold", "age": 41}}
            """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            amountCents = 14900                                   | true
            amountCents = 14901                                   | false
            amountCents <> 14901                                  | true
            amountCents <> 14900                                  | false
            amountCents > 14899                                   | true
            amountCents > 14900                                   | false
            amountCents >= 14900                                  | true
            amountCents < 14901                                   | true
            amountCents < 14900                                   | false
            amountCents <= 14900                                  | true
            currency = 'USD'                                      | true
            currency <> 'EUR'                                     | true
            """)
    void comparesWithEveryComparisonOperator(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            amountCents > 10000 AND currency = 'USD'              | true
            amountCents > 10000 AND currency = 'EUR'              | false
            amountCents > 20000 OR currency = 'USD'               | true
            amountCents > 20000 OR currency = 'EUR'               | false
            NOT (currency = 'USD')                                | false
            express                                               | true
            NOT express                                           | false
            express = TRUE AND NOT express = FALSE                | true
            currency = 'EUR' OR currency = 'USD' AND amountCents > 20000 | false
            (currency = 'EUR' OR currency = 'USD') AND amountCents > 100 | true
            TRUE                                                  | true
            FALSE OR TRUE                                         | true
            """)
    void combinesWithAndOrNotAndParentheses(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @Test
    void bindsNotTighterThanComparisonUnlikeSql() {
        // The Artemis grammar puts NOT at the level of unary minus: NOT a = b is (NOT a) = b,
        // which is UNKNOWN for a non-boolean a. Parenthesise: NOT (a = b).
        assertThat(matches("NOT currency = 'EUR'", ORDER)).isFalse();
        assertThat(matches("NOT (currency = 'EUR')", ORDER)).isTrue();
        assertThat(matches("NOT express = FALSE", ORDER)).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            currency IN ('EUR', 'USD')                            | true
            currency IN ('EUR')                                   | false
            currency NOT IN ('EUR', 'GBP')                        | true
            currency NOT IN ('USD')                               | false
            amountCents BETWEEN 10000 AND 20000                   | true
            amountCents BETWEEN 14900 AND 14900                   | true
            amountCents BETWEEN 15000 AND 20000                   | false
            amountCents NOT BETWEEN 15000 AND 20000               | true
            amountCents NOT BETWEEN 10000 AND 20000               | false
            rate BETWEEN 1 AND 1.5                                | true
            """)
    void supportsInAndBetween(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            currency LIKE 'US_'                                   | true
            currency LIKE 'U%'                                    | true
            currency LIKE '%D'                                    | true
            currency LIKE '%'                                     | true
            currency LIKE 'U_'                                    | false
            currency LIKE 'us%'                                   | false
            currency NOT LIKE 'E%'                                | true
            currency NOT LIKE 'U%'                                | false
            sku LIKE 'AB!_12!%' ESCAPE '!'                        | true
            sku LIKE 'AB!_1_!%' ESCAPE '!'                        | true
            sku LIKE 'ABX12!%' ESCAPE '!'                         | false
            sku LIKE 'AB.12%'                                     | false
            note = 'it''s'                                        | true
            note LIKE '%''%'                                      | true
            """)
    void supportsLikeWithWildcardsAndEscape(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            currency IS NOT NULL                                  | true
            currency IS NULL                                      | false
            missing IS NULL                                       | true
            missing IS NOT NULL                                   | false
            """)
    void supportsIsNull(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            amountCents + 100 = 15000                             | true
            amountCents - 900 = 14000                             | true
            amountCents * 2 = 29800                               | true
            amountCents / 100 = 149                               | true
            amountCents / 3 > 4966                                | true
            amountCents / 100.0 = 149.0                           | true
            amountCents % 7 = 4                                   | true
            -amountCents < 0                                      | true
            amountCents + rate * 4 = 14905                        | true
            (amountCents + 100) / 100 = 150                       | true
            rate * 2 = 2.5                                        | true
            """)
    void evaluatesArithmetic(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            amountCents = 0x3A34                                  | true
            amountCents = 035064                                  | true
            amountCents = 14900L                                  | true
            amountCents = 1.49e4                                  | true
            amountCents = 1.49E+4                                 | true
            rate = .125e1                                         | true
            """)
    void readsNumericLiteralsInEveryNotation(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            currency = 'USD' and amountCents > 1 or not express   | true
            Currency = 'USD'                                      | false
            "currency" = 'USD'                                    | true
            "payload.customer.tier" = 'gold'                      | true
            customer.tier = 'gold' AND payload.customer.age > 40  | true
            """)
    void treatsKeywordsCaseInsensitivelyAndIdentifiersCaseSensitively(String selector, boolean expected) {
        assertThat(matches(selector, ORDER)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "currency = 'USD' /* the seed's filter */ AND amountCents > 10000",
        "currency = 'USD' -- it's a comment\n AND amountCents > 10000",
        "currency = 'USD'\r\nAND\tamountCents > 10000\f",
    })
    void allowsCommentsAndAnyWhitespace(String selector) {
        assertThat(matches(selector, ORDER)).isTrue();
    }
}
