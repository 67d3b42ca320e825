package io.meshwork.core.selector;

import static io.meshwork.core.selector.Events.json;
import static io.meshwork.core.selector.Events.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JMS 1.1 section 3.8.1.2: SQL three-valued logic; {@code x} is absent throughout. */
class SelectorNullSemanticsTest {

    private static final SelectorContext EVENT = json("""
            {"amountCents": 14900, "nothing": null, "items": [1, 2], "customer": {"tier": "gold"}}
            """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            x > 1                             | false
            NOT (x > 1)                       | false
            x = 'a'                           | false
            NOT (x = 'a')                     | false
            x <> 'a'                          | false
            x + 1 = 2                         | false
            x IN ('a')                        | false
            x NOT IN ('a')                    | false
            x LIKE 'a%'                       | false
            x NOT LIKE 'a%'                   | false
            x BETWEEN 1 AND 2                 | false
            x NOT BETWEEN 1 AND 2             | false
            x                                 | false
            NOT x                             | false
            """)
    void comparisonsWithAnAbsentIdentifierAreUnknownAndDoNotMatch(String selector, boolean expected) {
        assertThat(matches(selector, EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            x > 1 AND amountCents > 1         | false
            x > 1 AND amountCents < 1         | false
            NOT (x > 1 AND amountCents > 1)   | false
            NOT (x > 1 AND amountCents < 1)   | true
            x > 1 OR amountCents > 1          | true
            x > 1 OR amountCents < 1          | false
            NOT (x > 1 OR amountCents > 1)    | false
            NOT (x > 1 OR amountCents < 1)    | false
            x OR TRUE                         | true
            NOT (x OR FALSE)                  | false
            """)
    void combinesUnknownWithThreeValuedAndOrNot(String selector, boolean expected) {
        assertThat(matches(selector, EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            x IS NULL                         | true
            x IS NOT NULL                     | false
            nothing IS NULL                   | true
            items IS NULL                     | true
            customer IS NULL                  | true
            customer.tier IS NOT NULL         | true
            customer.missing IS NULL          | true
            amountCents.cents IS NULL         | true
            items = 1                         | false
            """)
    void treatsJsonNullObjectsAndArraysAsAbsent(String selector, boolean expected) {
        assertThat(matches(selector, EVENT)).isEqualTo(expected);
    }

    @Test
    void pinsTheEvaluatorsDepartureThatTwoAbsentIdentifiersAreEqual() {
        // SQL would say UNKNOWN; Artemis compares null with null as equal.
        assertThat(matches("x = y", EVENT)).isTrue();
        assertThat(matches("x <> y", EVENT)).isFalse();
    }
}
