package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import io.meshwork.edge.MqttSessionSettings.Overflow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MqttDeliveryPolicyTest {

    /** A SUBSCRIBE's user properties, as HiveMQ hands them over. */
    private record Properties(List<String[]> pairs) implements UserProperties {
        static Properties of(String... namesAndValues) {
            List<String[]> pairs = new java.util.ArrayList<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                pairs.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
            }
            return new Properties(pairs);
        }

        @Override
        public Optional<String> getFirst(String name) {
            return getAllForName(name).stream().findFirst();
        }

        @Override
        public List<String> getAllForName(String name) {
            return pairs.stream().filter(p -> p[0].equals(name)).map(p -> p[1]).toList();
        }

        @Override
        public List<UserProperty> asList() {
            throw new UnsupportedOperationException("not read by the policy");
        }

        @Override
        public boolean isEmpty() {
            return pairs.isEmpty();
        }
    }

    private final MqttDeliveryPolicy discardOldest = new MqttDeliveryPolicy(Overflow.DISCARD_OLDEST);
    private final MqttDeliveryPolicy discardNewest = new MqttDeliveryPolicy(Overflow.DISCARD);

    @Test
    void noPolicyIsGrantedWhateverTheListenerDoes() {
        assertThat(discardNewest.refusal(Properties.of("other", "x"))).isEmpty();
        assertThat(discardOldest.refusal(Properties.of())).isEmpty();
    }

    @Test
    void dropOldestIsGrantedOnlyWhereTheSessionQueueDropsTheOldest() {
        assertThat(discardOldest.refusal(Properties.of("delivery-policy", "drop-oldest"))).isEmpty();
        assertThat(discardNewest.refusal(Properties.of("delivery-policy", "drop-oldest")))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("delivery-policy: drop-oldest is not available")
                        .contains("edge.mqtt.queue.overflow=discard"));
    }

    @Test
    void policiesTheBrokerCannotHonourAreRefusedNamingThePolicy() {
        for (String policy : List.of("conflate", "disconnect", "durable")) {
            assertThat(discardOldest.refusal(Properties.of("delivery-policy", policy)))
                    .hasValueSatisfying(reason -> assertThat(reason).startsWith("delivery-policy: " + policy + " is not supported over MQTT"));
        }
    }

    @Test
    void unknownEmptyOrConflictingValuesAreRefused() {
        assertThat(discardOldest.refusal(Properties.of("delivery-policy", "newest")))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("delivery-policy: unknown delivery-policy 'newest'"));
        assertThat(discardOldest.refusal(Properties.of("delivery-policy", ""))).isPresent();
        assertThat(discardOldest.refusal(Properties.of("delivery-policy", "drop-oldest", "delivery-policy", "conflate")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("2 different values"));
        assertThat(discardOldest.refusal(Properties.of("delivery-policy", "drop-oldest", "delivery-policy", "drop-oldest"))).isEmpty();
    }
}
