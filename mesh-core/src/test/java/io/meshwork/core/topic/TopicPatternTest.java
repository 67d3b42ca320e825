package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "+/+", "/#", "/", "a//+", "$SYS/#", "a/+/#", "orders/+/billing",
        "orders/ap/#", "+/#"})
    void acceptsWildcardsThatOccupyWholeLevels(String value) {
        assertThat(TopicPattern.parse(value).value()).isEqualTo(value);
    }

    @Test
    void acceptsPatternsAtTheLimits() {
        assertThat(TopicPattern.parse("+/".repeat(31) + "#").levels()).hasSize(32);
        assertThat(TopicPattern.parse("x".repeat(254) + "/#").value()).hasSize(256);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""           | topic pattern must not be empty | -1
            "orders/#/x" | '#' must be the last level      | 7
            "#/"         | '#' must be the last level      | 0
            "#/#"        | '#' must be the last level      | 0
            "a#"         | '#' must occupy a whole level   | 1
            "a/#b"       | '#' must occupy a whole level   | 2
            "a/b#"       | '#' must occupy a whole level   | 3
            "a/b+"       | '+' must occupy a whole level   | 3
            "+a"         | '+' must occupy a whole level   | 0
            "a/++"       | '+' must occupy a whole level   | 2
            "a/+b/#"     | '+' must occupy a whole level   | 2
            """)
    void rejectsInvalidPatternsNamingProblemAndPosition(String value, String problem, int position) {
        assertThatThrownBy(() -> TopicPattern.parse(value))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.input()).isEqualTo(value);
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.position()).isEqualTo(position);
                });
    }

    @Test
    void rejectionMessageNamesPatternProblemAndPosition() {
        assertThatThrownBy(() -> TopicPattern.parse("orders/#/x"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("invalid topic pattern 'orders/#/x': '#' must be the last level (position 7)");
        assertThatThrownBy(() -> TopicPattern.parse(null))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("invalid topic pattern: topic pattern must not be null");
    }

    @Test
    void rejectsNulCharacter() {
        assertThatThrownBy(() -> TopicPattern.parse("+/a\0"))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic pattern must not contain U+0000");
                    assertThat(e.position()).isEqualTo(3);
                });
    }

    @Test
    void rejectsPatternsBeyondLengthAndLevelLimits() {
        assertThatThrownBy(() -> TopicPattern.parse("a".repeat(257)))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic pattern is longer than 256 characters");
                    assertThat(e.position()).isEqualTo(256);
                });
        assertThatThrownBy(() -> TopicPattern.parse("+/".repeat(32) + "#"))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic pattern has more than 32 levels");
                    assertThat(e.position()).isEqualTo(63);
                });
    }

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "sport/#"       | "sport"           | true
            "sport/#"       | "sport/"          | true
            "sport/#"       | "sport/x/y"       | true
            "sport/#"       | "sports"          | false
            "sport/#"       | "/sport"          | false
            "sport/+/#"     | "sport/x"         | true
            "sport/+/#"     | "sport"           | false
            "+/#"           | "a"               | true
            "#"             | "a"               | true
            "#"             | "/"               | true
            "#"             | "a/b/c"           | true
            "/#"            | "/"               | true
            "/#"            | "/a/b"            | true
            "/#"            | "a"               | false
            "a/+/b"         | "a//b"            | true
            "a/+/b"         | "a/x/b"           | true
            "a/+/b"         | "a/x/y/b"         | false
            "a/+"           | "a/"              | true
            "a/+"           | "a"               | false
            "+"             | "a"               | true
            "+"             | "/"               | false
            "+/+"           | "/"               | true
            "+/+"           | "a"               | false
            "/+"            | "/a"              | true
            "/+"            | "a"               | false
            "+/a"           | "/a"              | true
            "/"             | "/"               | true
            "//"            | "/"               | false
            "a/b"           | "a/b"             | true
            "a/b"           | "a/b/"            | false
            "a/b/"          | "a/b"             | false
            "a/b/+"         | "a/b/"            | true
            "#"             | "$SYS/x"          | false
            "#"             | "$"               | false
            "+/x"           | "$SYS/x"          | false
            "+"             | "$SYS"            | false
            "$SYS/#"        | "$SYS/x"          | true
            "$SYS/#"        | "$SYS"            | true
            "$SYS/+"        | "$SYS/x"          | true
            "$SYS/x"        | "$SYS/x"          | true
            "a/#"           | "a/$x"            | true
            "+/$x"          | "b/$x"            | true
            "/#"            | "/$x"             | true
            "Sport/#"       | "sport"           | false
            "a/b"           | "A/b"             | false
            "a/B"           | "a/b"             | false
            "ü/+"           | "ü/日本"           | true
            """)
    void matchesWithMqttSemantics(String pattern, String topic, boolean matches) {
        assertThat(TopicPattern.parse(pattern).matches(TopicName.of(topic))).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "a/b"     | false
            "/"       | false
            "+"       | true
            "a/#"     | true
            "$SYS/+"  | true
            """)
    void isWildcardWhenSomeLevelIsAWildcard(String pattern, boolean wildcard) {
        assertThat(TopicPattern.parse(pattern).isWildcard()).isEqualTo(wildcard);
    }

    @Test
    void levelsKeepWildcardsAndEmptyLevels() {
        assertThat(TopicPattern.parse("/+//#").levels()).containsExactly("", "+", "", "#");
    }
}
