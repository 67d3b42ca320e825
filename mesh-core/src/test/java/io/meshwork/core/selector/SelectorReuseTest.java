package io.meshwork.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SelectorReuseTest {

    private static final Selector SEED = Selector.parse("amountCents > 10000 AND currency = 'USD'");

    @Test
    void evaluatesOneParsedSelectorAgainstManyContexts() {
        int matched = 0;
        for (int i = 0; i < 10_000; i++) {
            if (SEED.matches(order(i * 3, i % 2 == 0 ? "USD" : "EUR"))) {
                matched++;
            }
        }
        // amountCents = 3i > 10000 for i >= 3334; USD for even i: 3334, 3336, ..., 9998.
        assertThat(matched).isEqualTo(3333);
    }

    @Test
    @Timeout(60)
    void evaluatesOneSelectorFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int matched = 0;
                    for (int i = 0; i < 5_000; i++) {
                        if (SEED.matches(order(i * 3, i % 2 == 0 ? "USD" : "EUR"))) {
                            matched++;
                        }
                    }
                    return matched;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(833);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void evaluatesManySelectorsAgainstOneContext() {
        SelectorContext context = order(14900, "USD");
        assertThat(SEED.matches(context)).isTrue();
        assertThat(Selector.parse("currency = 'EUR'").matches(context)).isFalse();
        assertThat(Selector.parse("headers.region = 'ap'").matches(context)).isTrue();
        assertThat(SEED.matches(context)).isTrue();
    }

    @Test
    void returnsTheAcceptAllSelectorForEmptyAndBlankExpressions() {
        assertThat(Selector.parse("")).isSameAs(Selector.ACCEPT_ALL);
        assertThat(Selector.parse(" \t\r\n")).isSameAs(Selector.ACCEPT_ALL);
        assertThat(Selector.ACCEPT_ALL.expression()).isEmpty();
        assertThat(Selector.ACCEPT_ALL.matches(SelectorContext.of(Map.of(), null, null))).isTrue();
    }

    @Test
    void keepsTheExpressionAsGiven() {
        String expression = "headers.region IN ('ap','eu')  -- seed\n";
        Selector selector = Selector.parse(expression);
        assertThat(selector.expression()).isEqualTo(expression);
        assertThat(selector).hasToString(expression);
    }

    @Test
    void isEqualToAnotherSelectorOfTheSameExpression() {
        assertThat(Selector.parse("a = 1")).isEqualTo(Selector.parse("a = 1"))
                .hasSameHashCodeAs(Selector.parse("a = 1"))
                .isNotEqualTo(Selector.parse("a = 2"));
    }

    @Test
    void rejectsANullContext() {
        assertThatNullPointerException().isThrownBy(() -> SEED.matches(null));
        assertThatNullPointerException().isThrownBy(() -> Selector.ACCEPT_ALL.matches(null));
    }

    private static SelectorContext order(long amountCents, String currency) {
        String json = "{\"amountCents\":" + amountCents + ",\"currency\":\"" + currency + "\"}";
        return SelectorContext.of(Map.of("region", "ap"), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
