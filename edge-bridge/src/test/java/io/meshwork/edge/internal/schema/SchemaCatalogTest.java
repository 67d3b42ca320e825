package io.meshwork.edge.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final TopicName ORDER = TopicName.of("orders/eu/created");

    private final AtomicLong now = new AtomicLong();
    private final RegistryAnswers registry = new RegistryAnswers(null);
    private final SchemaCatalog catalog = new SchemaCatalog(registry, TTL, "us-east-1", now::get);

    @Test
    void nothingIsKnownBeforeTheFirstRead() {
        registry.answer(null);
        catalog.refresh();
        assertThat(catalog.lookup(ORDER).known()).isFalse();
    }

    @Test
    void aFreshCopyAnswersWithTheMostSpecificBindingOrNone() {
        registry.answer(List.of(binding("orders/#", "wide"), binding("orders/+/created", "narrow")));
        catalog.refresh();
        assertThat(catalog.lookup(ORDER).binding()).map(SchemaBinding::artifactId).contains("narrow");
        SchemaCatalog.Lookup other = catalog.lookup(TopicName.of("payments/x"));
        assertThat(other.known()).isTrue();
        assertThat(other.binding()).isEmpty();
    }

    @Test
    void aCopyIsTrustedForTheTtlWhileTheRegistryIsDownThenNoLonger() {
        registry.answer(List.of(binding("orders/#", "orders")));
        catalog.refresh();
        registry.answer(null);
        now.addAndGet(TTL.toNanos());
        catalog.refresh();
        assertThat(catalog.lookup(ORDER).binding()).isPresent();
        now.addAndGet(1);
        assertThat(catalog.lookup(ORDER).known()).isFalse();
        registry.answer(List.of());
        catalog.refresh();
        assertThat(catalog.lookup(ORDER)).satisfies(lookup -> {
            assertThat(lookup.known()).isTrue();
            assertThat(lookup.binding()).isEmpty();
        });
    }

    private static SchemaBinding binding(String pattern, String artifactId) {
        return new SchemaBinding(TopicPattern.parse(pattern), artifactId, 1, URI.create("http://r/" + artifactId),
                (payload, contentType) -> Optional.empty());
    }
}
