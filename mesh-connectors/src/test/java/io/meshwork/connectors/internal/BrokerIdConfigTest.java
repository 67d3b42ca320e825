package io.meshwork.connectors.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.connectors.predicates.HopBudgetSpent;
import io.meshwork.connectors.predicates.RoutingPathContains;
import io.meshwork.connectors.transforms.EnterBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code broker.id} setting of every link guard fails fast, naming the key. */
class BrokerIdConfigTest {

    static Stream<Arguments> guardsRequiringABrokerId() {
        return Stream.of(
                Arguments.of("EnterBroker", (Consumer<Map<String, ?>>) props -> new EnterBroker<SourceRecord>().configure(props)),
                Arguments.of("RoutingPathContains", (Consumer<Map<String, ?>>) props -> new RoutingPathContains<SourceRecord>().configure(props)));
    }

    static Stream<Arguments> everyGuard() {
        return Stream.concat(guardsRequiringABrokerId(), Stream.of(
                Arguments.of("HopBudgetSpent", (Consumer<Map<String, ?>>) props -> new HopBudgetSpent<SourceRecord>().configure(props))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guardsRequiringABrokerId")
    void rejectsAMissingBrokerId(String guard, Consumer<Map<String, ?>> configure) {
        assertThatThrownBy(() -> configure.accept(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guardsRequiringABrokerId")
    void rejectsAnExplicitlyNullBrokerId(String guard, Consumer<Map<String, ?>> configure) {
        Map<String, Object> props = new HashMap<>();
        props.put("broker.id", null);

        assertThatThrownBy(() -> configure.accept(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyGuard")
    void rejectsABlankBrokerId(String guard, Consumer<Map<String, ?>> configure) {
        assertThatThrownBy(() -> configure.accept(Map.of("broker.id", "   ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id")
                .hasMessageContaining("blank");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyGuard")
    void rejectsABrokerIdWithAComma(String guard, Consumer<Map<String, ?>> configure) {
        assertThatThrownBy(() -> configure.accept(Map.of("broker.id", "us-east-1,eu-west-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id")
                .hasMessageContaining("','");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyGuard")
    void rejectsABrokerIdWithInnerWhitespace(String guard, Consumer<Map<String, ?>> configure) {
        assertThatThrownBy(() -> configure.accept(Map.of("broker.id", "us east")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyGuard")
    void acceptsARegionName(String guard, Consumer<Map<String, ?>> configure) {
        assertThatCode(() -> configure.accept(Map.of("broker.id", "ap-southeast-1"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void hopBudgetSpentTreatsTheBrokerIdAsOptionalButNotBlank(String blank) {
        assertThatCode(() -> new HopBudgetSpent<SourceRecord>().configure(Map.of())).doesNotThrowAnyException();
        assertThatThrownBy(() -> new HopBudgetSpent<SourceRecord>().configure(Map.of("broker.id", blank)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id");
    }
}
