package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link TopicIndex} against a brute-force oracle, {@link TopicPattern#matches}, over
 * every pattern held. A small alphabet of levels makes collisions, shared prefixes, empty
 * levels, wildcards and system topics frequent.
 */
class TopicIndexRandomizedTest {

    private static final List<String> TOPIC_LEVELS = List.of("a", "b", "A", "", "$s");
    private static final List<String> PATTERN_LEVELS = List.of("a", "b", "A", "", "$s", "+");
    private static final List<String> LAST_PATTERN_LEVELS = List.of("a", "b", "A", "", "$s", "+", "#");
    private static final int MAX_LEVELS = 4;
    private static final int VALUES = 8;

    private final Random random = new Random(20261129L);
    private final TopicIndex<Integer> index = new TopicIndex<>();
    private final Map<TopicPattern, Set<Integer>> model = new HashMap<>();
    private final List<TopicName> allTopics = allTopics();

    @Test
    void agreesWithBruteForceMatchingThroughAddsAndRemoves() {
        for (int round = 0; round < 3; round++) {
            for (int op = 0; op < 2000; op++) {
                if (random.nextInt(10) < 7) {
                    addRandomPair();
                } else {
                    removeRandomPair();
                }
            }
            assertIndexAgreesWithModel();
        }
        assertThat(model).hasSizeGreaterThan(300);

        removeEverythingInRandomOrder();
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.nodeCount()).isEqualTo(1);
        assertIndexAgreesWithModel();
    }

    private void addRandomPair() {
        TopicPattern pattern = randomPattern();
        int value = random.nextInt(VALUES);
        boolean isNew = model.computeIfAbsent(pattern, p -> new HashSet<>()).add(value);
        assertThat(index.add(pattern, value)).as("add %s -> %s", pattern, value).isEqualTo(isNew);
    }

    private void removeRandomPair() {
        TopicPattern pattern;
        int value;
        if (!model.isEmpty() && random.nextBoolean()) {
            List<TopicPattern> held = new ArrayList<>(model.keySet());
            pattern = held.get(random.nextInt(held.size()));
            List<Integer> values = new ArrayList<>(model.get(pattern));
            value = values.get(random.nextInt(values.size()));
        } else {
            pattern = randomPattern();
            value = random.nextInt(VALUES);
        }
        assertThat(index.remove(pattern, value)).as("remove %s -> %s", pattern, value)
                .isEqualTo(removeFromModel(pattern, value));
    }

    private void removeEverythingInRandomOrder() {
        List<Map.Entry<TopicPattern, Integer>> pairs = new ArrayList<>();
        model.forEach((p, values) -> values.forEach(v -> pairs.add(Map.entry(p, v))));
        Collections.shuffle(pairs, random);
        for (Map.Entry<TopicPattern, Integer> pair : pairs) {
            assertThat(index.remove(pair.getKey(), pair.getValue())).isTrue();
            removeFromModel(pair.getKey(), pair.getValue());
        }
    }

    private boolean removeFromModel(TopicPattern pattern, int value) {
        Set<Integer> values = model.get(pattern);
        if (values == null || !values.remove(value)) {
            return false;
        }
        if (values.isEmpty()) {
            model.remove(pattern);
        }
        return true;
    }

    private void assertIndexAgreesWithModel() {
        assertThat(index.patternCount()).isEqualTo(model.size());
        for (TopicName topic : allTopics) {
            Set<Integer> expected = new HashSet<>();
            int expectedCalls = 0;
            for (Map.Entry<TopicPattern, Set<Integer>> entry : model.entrySet()) {
                if (entry.getKey().matches(topic)) {
                    expected.addAll(entry.getValue());
                    expectedCalls += entry.getValue().size();
                }
            }
            int[] calls = {0};
            index.forEachMatch(topic, v -> calls[0]++);
            assertThat(index.match(topic)).as("match %s", topic).isEqualTo(expected);
            assertThat(calls[0]).as("forEachMatch calls for %s", topic).isEqualTo(expectedCalls);
        }
    }

    private TopicPattern randomPattern() {
        while (true) {
            int levels = 1 + random.nextInt(MAX_LEVELS);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < levels; i++) {
                if (i > 0) {
                    sb.append('/');
                }
                // '#' is only drawn for the last level, where it is legal.
                List<String> choices = i == levels - 1 ? LAST_PATTERN_LEVELS : PATTERN_LEVELS;
                sb.append(choices.get(random.nextInt(choices.size())));
            }
            if (!sb.isEmpty()) {
                return TopicPattern.parse(sb.toString());
            }
        }
    }

    /** Every topic of up to {@value #MAX_LEVELS} levels over the alphabet: an exhaustive probe. */
    private static List<TopicName> allTopics() {
        List<String> topics = new ArrayList<>();
        List<String> previous = List.of("");
        for (int depth = 1; depth <= MAX_LEVELS; depth++) {
            List<String> current = new ArrayList<>();
            for (String prefix : previous) {
                for (String level : TOPIC_LEVELS) {
                    current.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            topics.addAll(current);
            previous = current;
        }
        return topics.stream().filter(t -> !t.isEmpty()).map(TopicName::of).toList();
    }
}
