package io.meshwork.edge.internal.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnknownDescribedType;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

class AmqpEventReaderTest {

    private final AmqpEventReader reader = new AmqpEventReader(16);

    private static Message message(Map<String, Object> properties, Object body) {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(new HashMap<>(properties)));
        if (body instanceof String text) {
            message.setBody(new Data(new Binary(text.getBytes(StandardCharsets.UTF_8))));
        } else if (body != null) {
            message.setBody((org.apache.qpid.proton.amqp.messaging.Section) body);
        }
        return message;
    }

    @Test
    void aMessageWithoutAttributesGetsTheDefaultsAndItsMessageIdAsId() {
        Message message = message(Map.of(), "{}");
        message.setMessageId("m-1");
        CloudEvent event = reader.read("orders/eu", "shop client", message);
        assertThat(event.getId()).isEqualTo("m-1");
        assertThat(event.getType()).isEqualTo("amqp.publish");
        assertThat(event.getSource().toString()).isEqualTo("/amqp/shop%20client");
        assertThat(event.getExtension("meshtopic")).isEqualTo("orders/eu");
    }

    @Test
    void bothPrefixesAreAttributesAndATimestampBecomesRfc3339() {
        Message message = message(Map.of("cloudEvents_type", "t", "CloudEvents:source", "/s",
                "cloudEvents:time", new Date(0), "plain", "ignored"), "x");
        CloudEvent event = reader.read("a/b", "c", message);
        assertThat(event.getType()).isEqualTo("t");
        assertThat(event.getSource().toString()).isEqualTo("/s");
        assertThat(event.getTime().toInstant().toEpochMilli()).isZero();
        assertThat(event.getExtensionNames()).doesNotContain("plain");
    }

    @Test
    void anAmqpValueStringIsTheDataAsUtf8() {
        CloudEvent event = reader.read("a/b", "c", message(Map.of(), new AmqpValue("héllo")));
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("héllo");
    }

    @Test
    void aContentTypePropertyContradictingTheContentTypeIsRefusedNamingTheProperty() {
        Message message = message(Map.of("cloudEvents:datacontenttype", "text/plain"), "x");
        message.setContentType("application/json");
        assertThatThrownBy(() -> reader.read("a/b", "c", message)).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.error()).isEqualTo(ClientError.INVALID_EVENT);
            assertThat(refusal.field()).isEqualTo("cloudEvents:datacontenttype");
        });
    }

    @Test
    void aMeshtopicPropertyContradictingTheAddressIsAConflictingTopic() {
        assertThatThrownBy(() -> reader.read("a/b", "c", message(Map.of("cloudEvents:meshtopic", "a/c"), "x")))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.error()).isEqualTo(ClientError.CONFLICTING_TOPIC);
                    assertThat(refusal.describe()).contains("contradicts the address 'a/b'");
                });
    }

    @Test
    void aWildcardInTheMessagesToIsAnInvalidTopic() {
        Message message = message(Map.of(), "x");
        message.setAddress("a/+");
        assertThatThrownBy(() -> reader.read(null, "c", message)).isInstanceOfSatisfying(Refusal.class,
                refusal -> assertThat(refusal.error()).isEqualTo(ClientError.INVALID_TOPIC));
    }

    @Test
    void aBodyOverTheLimitIsRefusedAsTooLarge() {
        assertThatThrownBy(() -> reader.read("a/b", "c", message(Map.of(), "12345678901234567")))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.error()).isEqualTo(ClientError.PAYLOAD_TOO_LARGE);
                    assertThat(AmqpErrors.condition(refusal).getCondition().toString()).isEqualTo("amqp:link:message-size-exceeded");
                });
    }

    @Test
    void theSelectorFilterIsFoundByNameOrCodeAndOtherFiltersAreNotApplied() {
        Source source = new Source();
        source.setAddress("a/#");
        source.setFilter(Map.of(Symbol.valueOf("sel"), new UnknownDescribedType(UnsignedLong.valueOf(0x0000468C00000004L), "x > 1"),
                Symbol.valueOf("other"), new UnknownDescribedType(Symbol.valueOf("apache.org:no-local-filter:list"), "y")));
        AmqpSubscribeRequest request = AmqpSubscribeRequest.of(source, Map.of(Symbol.valueOf("delivery-policy"), "conflate"));
        assertThat(request.request().getTopicPattern()).isEqualTo("a/#");
        assertThat(request.request().getFilterExpression()).isEqualTo("x > 1");
        assertThat(request.request().getDeliveryPolicy()).isEqualTo("conflate");
        assertThat(request.appliedFilters()).containsOnlyKeys(Symbol.valueOf("sel"));
    }
}
