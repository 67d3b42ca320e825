package io.meshwork.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "#, a/b, true",
            "#, #, true",
            "a/#, a, true",
            "a/#, a/#, true",
            "a/#, a/+/c, true",
            "a/+, a/b, true",
            "a/+, a/+, true",
            "a/+, a/#, false",
            "a/+, a, false",
            "a/b, a/+, false",
            "a/b, a/b/c, false",
            "a/b/c, a/b, false",
            "a/+/c, a/b/c, true",
            "a/+/c, a/b/#, false",
            "+/x, $SYS/x, false",
            "#, $SYS/#, false",
            "$SYS/#, $SYS/x, true",
            "a/b, a/b, true",
            "a/b, a/c, false",
            "+, a/b, false",
            "+/#, a, true",
    })
    void coversHoldsWhenEveryTopicOfTheInnerFilterMatchesTheOuter(String outer, String inner, boolean covers) {
        assertThat(TopicFilters.covers(TopicPattern.parse(outer), TopicPattern.parse(inner))).isEqualTo(covers);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
            "a/b, a/b, true",
            "a/b, a/c, false",
            "a/+, a/b, true",
            "a/#, a, true",
            "a/#, b/#, false",
            "#, a/b/c, true",
            "a/+, a, false",
            "a/+/c, a/b/d, false",
            "a/+/c, +/b/+, true",
            "a/b/c, a/b, false",
            "a/b/#, a/b, true",
            "+/x, $SYS/x, false",
            "$SYS/x, +/x, false",
            "#, $SYS/x, false",
            "$SYS/#, $SYS/x, true",
            "orders/ap/#, orders/+/billing, true",
            "orders/eu/#, orders/us/billing, false",
    })
    void mayOverlapHoldsWhenSomeTopicMatchesBoth(String first, String second, boolean overlap) {
        assertThat(TopicFilters.mayOverlap(TopicPattern.parse(first), TopicPattern.parse(second))).isEqualTo(overlap);
        assertThat(TopicFilters.mayOverlap(TopicPattern.parse(second), TopicPattern.parse(first))).isEqualTo(overlap);
    }
}
