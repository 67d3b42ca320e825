package io.meshwork.bench;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Unique topic patterns shaped like real subscriptions ({@code orders/r{N}/c{I}/+},
 * {@code orders/r{N}/#}, {@code orders/+/c{I}/billing}, literals), and topics that match some of
 * them or none. Deterministic (fixed seed), so every run measures the same data.
 */
final class SubscriptionShapes {

    private SubscriptionShapes() {
    }

    static List<TopicPattern> patterns(int count) {
        Set<String> unique = new LinkedHashSet<>();
        Random random = new Random(20261129);
        int regions = Math.max(10, count / 1000);
        while (unique.size() < count) {
            int region = random.nextInt(regions);
            int customer = random.nextInt(count);
            switch (unique.size() % 4) {
                case 0 -> unique.add("orders/r" + region + "/c" + customer + "/+");
                case 1 -> unique.add("orders/r" + region + "/c" + customer + "/#");
                case 2 -> unique.add("orders/+/c" + customer + "/billing");
                default -> unique.add("orders/r" + region + "/c" + customer + "/checkout");
            }
        }
        List<TopicPattern> patterns = new ArrayList<>(count);
        unique.forEach(p -> patterns.add(TopicPattern.parse(p)));
        return patterns;
    }

    /** Topics that each match at least one of {@code patterns} (derived from them). */
    static List<TopicName> matchingTopics(List<TopicPattern> patterns, int count) {
        Random random = new Random(7);
        List<TopicName> topics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String pattern = patterns.get(random.nextInt(patterns.size())).value();
            topics.add(TopicName.of(pattern.replace("+", "r1").replace("#", "x/billing")));
        }
        return topics;
    }

    /** Topics that match none of the patterns (another first level). */
    static List<TopicName> nonMatchingTopics(int count) {
        Random random = new Random(11);
        List<TopicName> topics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            topics.add(TopicName.of("payments/r" + random.nextInt(100) + "/c" + random.nextInt(1_000_000) + "/billing"));
        }
        return topics;
    }
}
