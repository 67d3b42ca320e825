package io.meshwork.edge.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaBindingTest {

    private static final PayloadSchema ANY = (payload, contentType) -> Optional.empty();

    @Test
    void aBindingAppliesToTheTopicsItsPatternMatches() {
        SchemaBinding orders = binding("orders/+/created", "a");
        assertThat(orders.binds(TopicName.of("orders/eu/created"))).isTrue();
        assertThat(orders.binds(TopicName.of("orders/eu/deleted"))).isFalse();
        assertThat(binding("#", "all").binds(TopicName.of("$SYS/x"))).isFalse();
    }

    @Test
    void theMostSpecificPatternWinsThenTheArtifactId() {
        List<SchemaBinding> bindings = new ArrayList<>(List.of(binding("#", "a"), binding("orders/#", "b"),
                binding("orders/+/created", "c"), binding("orders/eu/created", "d"), binding("orders/+/+", "e"),
                binding("orders/+/created", "b2")));
        bindings.sort(SchemaBinding.MOST_SPECIFIC_FIRST);
        assertThat(bindings).extracting(SchemaBinding::artifactId).containsExactly("d", "b2", "c", "e", "b", "a");
    }

    @Test
    void aViolationPointerEscapesItsSegmentsAndTheWholePayloadIsNamedData() {
        assertThat(Violation.child("/a", "b/c~d")).isEqualTo("/a/b~1c~0d");
        assertThat(new Violation("", "x").field()).isEqualTo("data");
        assertThatThrownBy(() -> new Violation("amount", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static SchemaBinding binding(String pattern, String artifactId) {
        return new SchemaBinding(TopicPattern.parse(pattern), artifactId, 1, URI.create("http://r/" + artifactId), ANY);
    }
}
