package io.meshwork.connectors.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class MeshConnectorConfigTest {

    private static Map<String, String> source(String key, String value) {
        Map<String, String> props = new HashMap<>(Map.of(MeshRegionConfig.REGION, "us-east-1",
                MeshRegionConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092", MeshSourceConfig.TOPIC_PATTERN, "orders/+",
                MeshSourceConfig.TARGET_TOPIC, "out"));
        props.put(key, value);
        return props;
    }

    private static Map<String, String> sink(String key, String value) {
        Map<String, String> props = new HashMap<>(Map.of(MeshRegionConfig.REGION, "us-east-1",
                MeshRegionConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092", "topics", "in"));
        props.put(key, value);
        return props;
    }

    /** The error messages validate() gives, by key, for the keys that have any. */
    private static Map<String, List<String>> errors(Config config) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : config.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void aBadPatternFailsValidationNamingTheKey() {
        Map<String, List<String>> errors = errors(new MeshSourceConnector().validate(source(MeshSourceConfig.TOPIC_PATTERN, "orders/#/x")));
        assertThat(errors).containsOnlyKeys(MeshSourceConfig.TOPIC_PATTERN);
        assertThat(errors.get(MeshSourceConfig.TOPIC_PATTERN).get(0)).contains("not a valid topic pattern");
    }

    @Test
    void aBadSelectorFailsValidationNamingTheKey() {
        Map<String, List<String>> errors = errors(new MeshSourceConnector().validate(source(MeshSourceConfig.SELECTOR, "amount >")));
        assertThat(errors).containsOnlyKeys(MeshSourceConfig.SELECTOR);
        assertThat(errors.get(MeshSourceConfig.SELECTOR).get(0)).contains("not a valid selector");
    }

    @Test
    void aValidSourceConfigHasNoErrorsAndDefaults() {
        assertThat(errors(new MeshSourceConnector().validate(source(MeshSourceConfig.SELECTOR, "amountCents > 10000")))).isEmpty();
        MeshSourceConfig config = new MeshSourceConfig(source(MeshSourceConfig.SELECTOR, "  currency = 'USD' "));
        assertThat(config.selectorExpression()).isEqualTo("currency = 'USD'");
        assertThat(config.brokerId()).isEqualTo("us-east-1");
        assertThat(config.startsAtEarliest()).isFalse();
    }

    @Test
    void aFieldSourceWithoutFieldFailsValidationAndStart() {
        Map<String, String> props = sink(MeshSinkConfig.TOPIC_SOURCE, "field");
        assertThat(errors(new MeshSinkConnector().validate(props))).containsOnlyKeys(MeshSinkConfig.TOPIC_FIELD);
        assertThatThrownBy(() -> new MeshSinkConnector().start(props))
                .isInstanceOf(ConfigException.class).hasMessageContaining(MeshSinkConfig.TOPIC_FIELD);
    }

    @Test
    void badSinkSettingsFailValidationNamingTheKey() {
        assertThat(errors(new MeshSinkConnector().validate(sink(MeshSinkConfig.TOPIC_TEMPLATE, "orders/+/{}"))))
                .containsOnlyKeys(MeshSinkConfig.TOPIC_TEMPLATE);
        assertThat(errors(new MeshSinkConnector().validate(sink(MeshSinkConfig.TOPIC_SOURCE, "header"))))
                .containsOnlyKeys(MeshSinkConfig.TOPIC_SOURCE);
        assertThat(errors(new MeshSinkConnector().validate(sink(MeshSinkConfig.CE_SOURCE, "not a uri"))))
                .containsOnlyKeys(MeshSinkConfig.CE_SOURCE);
        assertThat(errors(new MeshSinkConnector().validate(sink(MeshRegionConfig.REGION, "US East"))))
                .containsOnlyKeys(MeshRegionConfig.REGION);
    }
}
