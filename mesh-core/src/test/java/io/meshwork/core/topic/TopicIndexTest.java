package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicIndexTest {

    private final TopicIndex<String> index = new TopicIndex<>();

    private void add(String pattern, String value) {
        index.add(TopicPattern.parse(pattern), value);
    }

    private Set<String> match(String topic) {
        return index.match(TopicName.of(topic));
    }

    @Test
    void newIndexIsEmptyAndMatchesNothing() {
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.patternCount()).isZero();
        assertThat(match("a/b")).isEmpty();
    }

    @Test
    void findsValuesOfLiteralAndWildcardPatterns() {
        add("orders/ap/billing", "exact");
        add("orders/+/billing", "plus");
        add("orders/#", "hash");
        add("orders/eu/billing", "other");

        assertThat(match("orders/ap/billing")).containsExactlyInAnyOrder("exact", "plus", "hash");
        assertThat(match("orders/us/billing")).containsExactlyInAnyOrder("plus", "hash");
        assertThat(match("payments/ap/billing")).isEmpty();
    }

    @Test
    void addReportsWhetherThePairIsNewAndKeepsOneCopy() {
        TopicPattern pattern = TopicPattern.parse("a/+");

        assertThat(index.add(pattern, "s1")).isTrue();
        assertThat(index.add(pattern, "s1")).isFalse();
        assertThat(index.add(pattern, "s2")).isTrue();

        assertThat(index.patternCount()).isEqualTo(1);
        assertThat(match("a/x")).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void matchReturnsDistinctValuesWhileForEachMatchCallsOncePerMatchingPattern() {
        add("a/b", "s");
        add("a/+", "s");
        add("#", "s");
        List<String> calls = new ArrayList<>();

        index.forEachMatch(TopicName.of("a/b"), calls::add);

        assertThat(match("a/b")).containsExactly("s");
        assertThat(calls).containsExactly("s", "s", "s");
    }

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "sport/#"  | "sport"      | true
            "sport/#"  | "sport/x/y"  | true
            "/#"       | "/"          | true
            "a/+/b"    | "a//b"       | true
            "+/+"      | "/"          | true
            "+"        | "/"          | false
            "a/b/"     | "a/b"        | false
            "a/b"      | "a/b/"       | false
            "#"        | "$SYS/x"     | false
            "+/x"      | "$SYS/x"     | false
            "+"        | "$"          | false
            "$SYS/#"   | "$SYS"       | true
            "$SYS/+"   | "$SYS/x"     | true
            "a/#"      | "a/$x"       | true
            "A/b"      | "a/b"        | false
            """)
    void matchesTrickyCasesLikeTopicPattern(String pattern, String topic, boolean matches) {
        add(pattern, "v");
        assertThat(match(topic).contains("v")).isEqualTo(matches);
    }

    @Test
    void removeDetachesOnlyTheGivenPair() {
        TopicPattern pattern = TopicPattern.parse("a/#");
        index.add(pattern, "s1");
        index.add(pattern, "s2");

        assertThat(index.remove(pattern, "s1")).isTrue();
        assertThat(index.remove(pattern, "s1")).isFalse();
        assertThat(index.remove(TopicPattern.parse("a/+"), "s2")).isFalse();
        assertThat(index.remove(TopicPattern.parse("a"), "s2")).isFalse();

        assertThat(match("a")).containsExactly("s2");
        assertThat(index.patternCount()).isEqualTo(1);
    }

    @Test
    void removingTheLastValuesPrunesEveryNode() {
        List<String> patterns = List.of("a/b/c", "a/+/c", "a/#", "#", "+", "/", "a//+/#", "$SYS/x");
        patterns.forEach(p -> add(p, "v"));
        assertThat(index.patternCount()).isEqualTo(patterns.size());
        assertThat(index.nodeCount()).isGreaterThan(1);

        patterns.forEach(p -> assertThat(index.remove(TopicPattern.parse(p), "v")).isTrue());

        assertThat(index.isEmpty()).isTrue();
        assertThat(index.nodeCount()).isEqualTo(1);
    }

    @Test
    void removingOnePatternKeepsNodesOthersStillNeed() {
        add("a/b", "v");
        add("a/b/c", "v");
        index.remove(TopicPattern.parse("a/b/c"), "v");

        assertThat(index.nodeCount()).isEqualTo(3);
        assertThat(match("a/b")).containsExactly("v");
    }

    @Test
    void rejectsNullValuesButRemovingNullIsANoOp() {
        TopicPattern pattern = TopicPattern.parse("a");
        assertThatThrownBy(() -> index.add(pattern, null)).isInstanceOf(NullPointerException.class);
        assertThat(index.remove(pattern, null)).isFalse();
    }

    @Test
    void matchReturnsASetTheCallerMayModify() {
        add("a", "v");
        Set<String> result = match("a");
        result.add("w");
        assertThat(match("a")).containsExactly("v");
    }

    @Test
    void matchesLevelsOutsideLatin1() {
        add("ü/日本/+", "plus");
        add("ü/日本/😀", "exact");
        add("ü/a", "latin");

        assertThat(match("ü/日本/😀")).containsExactlyInAnyOrder("plus", "exact");
        assertThat(match("ü/日本/x")).containsExactly("plus");
        // 'š' (U+0161) and 'a' share the low byte.
        assertThat(match("ü/š")).isEmpty();
        assertThat(match("ü/a")).containsExactly("latin");
    }

    @Test
    void matchesAgainstAWideFanOut() {
        for (int i = 0; i < 1000; i++) {
            add("orders/r" + i % 10 + "/c" + i + "/+", "plus" + i);
            add("orders/+/c" + i + "/billing", "billing" + i);
        }
        assertThat(index.node("orders/r3").childrenForm()).isEqualTo("table");
        assertThat(index.node("orders/+").childrenForm()).isEqualTo("table");

        assertThat(match("orders/r3/c123/billing")).containsExactlyInAnyOrder("plus123", "billing123");
        assertThat(match("orders/r4/c123/billing")).containsExactly("billing123");
        assertThat(match("orders/r3/c123/checkout")).containsExactly("plus123");
        assertThat(match("orders/r3/c1000/billing")).isEmpty();

        for (int i = 0; i < 1000; i++) {
            index.remove(TopicPattern.parse("orders/r" + i % 10 + "/c" + i + "/+"), "plus" + i);
            index.remove(TopicPattern.parse("orders/+/c" + i + "/billing"), "billing" + i);
        }
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.nodeCount()).isEqualTo(1);
    }

    @Test
    void nodesOfARecurringLongLevelShareOneKey() {
        add("customer-1/notifications", "v");
        add("customer-2/notifications", "v");

        assertThat(index.node("customer-1/notifications").level)
                .isNotNull().isSameAs(index.node("customer-2/notifications").level);
        assertThat(index.node("customer-1").level).isNotSameAs(index.node("customer-2").level);
        assertThat(match("customer-2/notifications")).containsExactly("v");
    }

    @Test
    void concurrentMatchesOfAnIndexNoLongerMutatedAgree() throws Exception {
        for (int i = 0; i < 2000; i++) {
            add("t/" + i % 50 + "/+", "p" + i % 50);
            add("t/" + i + "/x", "x" + i);
        }
        add("t/#", "all");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        int n = i % 2000;
                        Set<String> expected = n < 50 ? Set.of("all", "x" + n, "p" + n) : Set.of("all", "x" + n);
                        if (!match("t/" + n + "/x").equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
