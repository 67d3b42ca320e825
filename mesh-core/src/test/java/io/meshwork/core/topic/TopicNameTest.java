package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders/ap/billing", "a//b", "/a", "a/", "/", "//", "$SYS/x", "ü/日本/😀"})
    void acceptsTopicsIncludingEmptyLevels(String value) {
        assertThat(TopicName.of(value).value()).isEqualTo(value);
    }

    @Test
    void acceptsTopicsAtTheLimits() {
        assertThat(TopicName.of("x".repeat(TopicName.MAX_LENGTH)).value()).hasSize(256);
        assertThat(TopicName.of("/".repeat(TopicName.MAX_LEVELS - 1)).levels()).hasSize(32);
        // 256 code points that are 512 chars: the limit counts characters as PostgreSQL does.
        assertThat(TopicName.of("😀".repeat(256)).value()).hasSize(512);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""          | topic must not be empty                     | -1
            "a/+/b"     | topic must not contain wildcards '+' or '#' | 2
            "+"         | topic must not contain wildcards '+' or '#' | 0
            "sport/#"   | topic must not contain wildcards '+' or '#' | 6
            "a#"        | topic must not contain wildcards '+' or '#' | 1
            "a/\uD800"  | topic must not contain an unpaired surrogate | 2
            """)
    void rejectsInvalidTopicsNamingProblemAndPosition(String value, String problem, int position) {
        assertThatThrownBy(() -> TopicName.of(value))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.input()).isEqualTo(value);
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains(problem);
                });
    }

    @Test
    void rejectionMessageQuotesInputAndPosition() {
        assertThatThrownBy(() -> TopicName.of("a/+/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid topic 'a/+/b': topic must not contain wildcards '+' or '#' (position 2)");
        assertThatThrownBy(() -> TopicName.of(""))
                .hasMessage("invalid topic '': topic must not be empty");
    }

    @ParameterizedTest
    @NullSource
    void rejectsNull(String value) {
        assertThatThrownBy(() -> TopicName.of(value))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("invalid topic: topic must not be null");
    }

    @Test
    void rejectsTopicLongerThan256Characters() {
        String value = "x".repeat(257);
        assertThatThrownBy(() -> TopicName.of(value))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic is longer than 256 characters");
                    assertThat(e.position()).isEqualTo(256);
                    assertThat(e.input()).isEqualTo(value);
                    // The message abridges the echoed input: clients may send huge strings.
                    assertThat(e.getMessage()).hasSizeLessThan(200).contains("...");
                });
    }

    @Test
    void reportsLengthPositionAsCharIndexWhenCountingCodePoints() {
        assertThatThrownBy(() -> TopicName.of("😀".repeat(257)))
                .isInstanceOfSatisfying(InvalidTopicException.class,
                        e -> assertThat(e.position()).isEqualTo(512));
    }

    @Test
    void rejectsTopicWithMoreThan32LevelsAtTheSeparatorOpeningLevel33() {
        String value = "a/".repeat(32) + "a";
        assertThatThrownBy(() -> TopicName.of(value))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic has more than 32 levels");
                    assertThat(e.position()).isEqualTo(63);
                });
    }

    @Test
    void rejectsNulCharacter() {
        // Not in the CSV table above: JUnit's CSV reader drops NUL characters.
        assertThatThrownBy(() -> TopicName.of("a/\0"))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic must not contain U+0000");
                    assertThat(e.position()).isEqualTo(2);
                });
    }

    @Test
    void messageEscapesControlCharacters() {
        assertThatThrownBy(() -> TopicName.of("a\0b"))
                .hasMessage("invalid topic 'a\\u0000b': topic must not contain U+0000 (position 1)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "a"      | a
            "a/b/c"  | a,b,c
            "/a/"    | ,a,
            "a//b"   | a,,b
            """)
    void splitsIntoLevelsKeepingEmptyOnes(String value, String levels) {
        assertThat(TopicName.of(value).levels()).containsExactly(levels.split(",", -1));
    }

    @Test
    void slashAloneHasTwoEmptyLevels() {
        assertThat(TopicName.of("/").levels()).containsExactly("", "");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "$SYS/brokers" | true
            "$"            | true
            "a/$SYS"       | false
            "/$SYS"        | false
            "SYS"          | false
            """)
    void systemTopicsAreThoseWhoseFirstLevelStartsWithDollar(String value, boolean system) {
        assertThat(TopicName.of(value).isSystemTopic()).isEqualTo(system);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "com.codesprintpro.order.created" | com/codesprintpro/order/created
            "created"                         | created
            ".a."                             | /a/
            "a..b"                            | a//b
            "a/b.c"                           | a/b/c
            """)
    void derivesTopicFromCloudEventTypeByTurningDotsIntoSlashes(String ceType, String topic) {
        assertThat(TopicName.fromCloudEventType(ceType)).isEqualTo(TopicName.of(topic));
    }

    @Test
    void derivedTopicIsValidatedWithPositionsInTheType() {
        assertThatThrownBy(() -> TopicName.fromCloudEventType("com.acme.#"))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.problem()).isEqualTo("topic must not contain wildcards '+' or '#'");
                    assertThat(e.position()).isEqualTo(9);
                });
        assertThatThrownBy(() -> TopicName.fromCloudEventType(""))
                .isInstanceOf(InvalidTopicException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TopicName.fromCloudEventType(null))
                .isInstanceOf(InvalidTopicException.class).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> TopicName.fromCloudEventType("a.".repeat(32) + "a"))
                .isInstanceOf(InvalidTopicException.class).hasMessageContaining("more than 32 levels");
    }

    @Test
    void equalityIsByValueAndCaseSensitive() {
        assertThat(TopicName.of("a/b")).isEqualTo(TopicName.of("a/b")).hasToString("a/b");
        assertThat(TopicName.of("a/b")).isNotEqualTo(TopicName.of("A/b"));
    }
}
