package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Like {@link TopicIndexRandomizedTest}, with an alphabet wide enough for nodes to hold their
 * children in tables, and levels of every kind a node stores differently: packed, long (a
 * key), outside Latin-1, with equal string hashes. Topics are sampled, not enumerated.
 */
class TopicIndexWideRandomizedTest {

    private static final List<String> LEVELS = new ArrayList<>(List.of("", "$s", "š", "a", "ÿÿÿÿÿÿÿÿ",
            "notifications", "notificationsX", "日本", "😀", "AaAaAaAaAa", "BBAaAaAaAa", "AaBBAaAaAa"));

    static {
        for (int i = 0; i < 20; i++) {
            LEVELS.add("c" + i);
        }
    }

    private final Random random = new Random(7L);
    private final TopicIndex<Integer> index = new TopicIndex<>();
    private final Map<TopicPattern, Set<Integer>> model = new HashMap<>();

    @Test
    void agreesWithBruteForceMatchingThroughTablesGrowingAndShrinking() {
        for (int round = 0; round < 4; round++) {
            // Grow in even rounds, shrink in odd ones, so that tables turn back into arrays.
            int addPercent = round % 2 == 0 ? 80 : 20;
            for (int op = 0; op < 3000; op++) {
                TopicPattern pattern = randomPattern();
                int value = random.nextInt(3);
                if (random.nextInt(100) < addPercent) {
                    boolean isNew = model.computeIfAbsent(pattern, p -> new HashSet<>()).add(value);
                    assertThat(index.add(pattern, value)).isEqualTo(isNew);
                } else {
                    Set<Integer> values = model.getOrDefault(pattern, new HashSet<>());
                    boolean held = values.remove(value);
                    if (values.isEmpty()) {
                        model.remove(pattern);
                    }
                    assertThat(index.remove(pattern, value)).isEqualTo(held);
                }
            }
            assertIndexAgreesWithModel();
            if (round == 0) {
                assertThat(index.node("a").childrenForm()).isEqualTo("table");
            }
        }
        for (Map.Entry<TopicPattern, Set<Integer>> entry : model.entrySet()) {
            entry.getValue().forEach(v -> assertThat(index.remove(entry.getKey(), v)).isTrue());
        }
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.nodeCount()).isEqualTo(1);
    }

    private void assertIndexAgreesWithModel() {
        assertThat(index.patternCount()).isEqualTo(model.size());
        for (int i = 0; i < 500; i++) {
            TopicName topic = TopicName.of(randomLevels(false));
            Set<Integer> expected = new HashSet<>();
            model.forEach((pattern, values) -> {
                if (pattern.matches(topic)) {
                    expected.addAll(values);
                }
            });
            assertThat(index.match(topic)).as("match %s", topic).isEqualTo(expected);
        }
    }

    private TopicPattern randomPattern() {
        return TopicPattern.parse(randomLevels(true));
    }

    private String randomLevels(boolean wildcards) {
        int levels = 1 + random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int draw = random.nextInt(LEVELS.size() + (wildcards ? 4 : 0));
            if (draw < LEVELS.size()) {
                sb.append(LEVELS.get(draw));
            } else if (i == levels - 1 && draw == LEVELS.size()) {
                sb.append('#');
            } else {
                sb.append('+');
            }
        }
        // A single empty level is the one empty string, which is no topic.
        return sb.isEmpty() ? randomLevels(wildcards) : sb.toString();
    }
}
