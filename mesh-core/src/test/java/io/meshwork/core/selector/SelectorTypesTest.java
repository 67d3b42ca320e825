package io.meshwork.core.selector;

import static io.meshwork.core.selector.Events.headers;
import static io.meshwork.core.selector.Events.json;
import static io.meshwork.core.selector.Events.matches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTypesTest {

    private static final SelectorContext PAYLOAD = json("""
            {"count": 3, "price": 2.50, "whole": 14900.0, "code": "10", "flag": true,
             "huge": 123456789012345678901234567890, "zip": "01234"}
            """);

    private static final SelectorContext HEADERS = headers(Map.of(
            "count", "3", "price", "2.50", "code", "'10'", "flag", "true", "zip", "01234",
            "upper", "TRUE", "exp", "1e3", "big", "99999999999999999999", "plus", "+5", "neg", "-7"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            count = 3                    | true
            count = 3.0                  | true
            count < 3.5                  | true
            price = 2.5                  | true
            price > 2                    | true
            price * 2 = 5                | true
            whole = 14900                | true
            whole / 100 = 149            | true
            count / 2 = 1.5              | true
            count / 2.0 = 1.5            | true
            huge > 1e29                  | true
            """)
    void comparesIntegersAndDecimalsByValue(String selector, boolean expected) {
        assertThat(matches(selector, PAYLOAD)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            code = '10'                  | true
            code = 10                    | false
            code <> 10                   | true
            code > 5                     | false
            code < 50                    | false
            count = '3'                  | false
            count IN ('3')               | false
            code IN ('10', '11')         | true
            code + 1 = 11                | false
            flag = TRUE                  | true
            flag = 1                     | false
            flag = 'true'                | false
            zip = '01234'                | true
            count LIKE '3'               | false
            """)
    void neverConvertsBetweenStringsNumbersAndBooleans(String selector, boolean expected) {
        assertThat(matches(selector, PAYLOAD)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            headers.count = 3            | true
            headers.count = '3'          | false
            headers.count + 1 = 4        | true
            headers.price = 2.5          | true
            headers.price = '2.50'       | false
            headers.code = '''10'''      | true
            headers.flag                 | true
            headers.flag = TRUE          | true
            headers.upper = 'TRUE'       | true
            headers.zip = '01234'        | true
            headers.zip = 1234           | false
            headers.exp = 1000           | true
            headers.big > 9.9e19         | true
            headers.plus = '+5'          | true
            headers.neg = -7             | true
            """)
    void typesHeaderStringsAsJsonWouldTypeThem(String selector, boolean expected) {
        assertThat(matches(selector, HEADERS)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            count / 2 = 1.5              | true
            count / 0 > 1e308            | true
            NOT (count / 0 = 1)          | true
            price / 0 > 1                | true
            code + 'x' = '10x'           | true
            code + 1 = '101'             | true
            code * 2 = 20                | false
            NOT (code * 2 = 20)          | false
            """)
    void pinsTheEvaluatorsDecimalDivisionStringConcatenationAndTypeErrors(String selector, boolean expected) {
        // Artemis divides in double (so x / 0 is Infinity, not an error), '+' concatenates a
        // string operand, and other arithmetic on a string throws, which Selector reads as no match.
        assertThat(matches(selector, PAYLOAD)).isEqualTo(expected);
    }
}
