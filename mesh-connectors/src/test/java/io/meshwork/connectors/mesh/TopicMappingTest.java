package io.meshwork.connectors.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class TopicMappingTest {

    private static SinkRecord record(Object key, Schema valueSchema, Object value) {
        return new SinkRecord("orders", 2, Schema.OPTIONAL_STRING_SCHEMA, key, valueSchema, value, 41L);
    }

    @Test
    void theConnectTopicFillsTheTemplate() {
        TopicMapping mapping = new TopicMapping(TopicSource.TOPIC, "", "erp/{}");
        assertThat(mapping.topicOf(record("k", null, "v")).value()).isEqualTo("erp/orders");
    }

    @Test
    void theKeyNamesTheTopic() {
        TopicMapping mapping = new TopicMapping(TopicSource.KEY, "", TopicMapping.PLACEHOLDER);
        assertThat(mapping.topicOf(record("orders/eu", null, "v")).value()).isEqualTo("orders/eu");
    }

    @Test
    void aNestedFieldOfAStructOrAMapNamesTheTopic() {
        Schema customer = SchemaBuilder.struct().field("region", Schema.STRING_SCHEMA).build();
        Schema order = SchemaBuilder.struct().field("customer", customer).build();
        Struct value = new Struct(order).put("customer", new Struct(customer).put("region", "ap"));
        TopicMapping mapping = new TopicMapping(TopicSource.FIELD, "customer.region", "orders/{}/created");

        assertThat(mapping.topicOf(record(null, order, value)).value()).isEqualTo("orders/ap/created");
        assertThat(mapping.topicOf(record(null, null, Map.of("customer", Map.of("region", "eu")))).value())
                .isEqualTo("orders/eu/created");
    }

    @Test
    void aTemplateWithoutPlaceholderIsOneFixedTopic() {
        TopicMapping mapping = new TopicMapping(TopicSource.TOPIC, "", "all/orders");
        assertThat(mapping.topicOf(record(null, null, "v")).value()).isEqualTo("all/orders");
    }

    @Test
    void aMissingFieldIsADataExceptionNamingTheField() {
        TopicMapping mapping = new TopicMapping(TopicSource.FIELD, "region", TopicMapping.PLACEHOLDER);
        assertThatThrownBy(() -> mapping.topicOf(record(null, null, Map.of("amount", 5))))
                .isInstanceOf(DataException.class).hasMessageContaining("no field 'region'").hasMessageContaining("mesh.topic.field");
        assertThatThrownBy(() -> mapping.topicOf(record(null, null, "not a struct")))
                .isInstanceOf(DataException.class).hasMessageContaining("no field 'region'");
    }

    @Test
    void aMissingKeyOrAWildcardInTheValueIsADataException() {
        TopicMapping byKey = new TopicMapping(TopicSource.KEY, "", TopicMapping.PLACEHOLDER);
        assertThatThrownBy(() -> byKey.topicOf(record(null, null, "v")))
                .isInstanceOf(DataException.class).hasMessageContaining("no key");
        assertThatThrownBy(() -> byKey.topicOf(record("orders/#", null, "v")))
                .isInstanceOf(DataException.class).hasMessageContaining("mesh topic 'orders/#'").hasMessageContaining("not a valid topic");
    }
}
