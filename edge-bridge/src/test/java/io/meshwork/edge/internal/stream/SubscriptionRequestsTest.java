package io.meshwork.edge.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.schema.v1.SubscriptionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionRequestsTest {

    private static SubscriptionRequest.Builder subscribe() {
        return SubscriptionRequest.newBuilder().setTopicPattern("orders/#");
    }

    @ParameterizedTest
    @CsvSource({"'',DROP_OLDEST", "drop-oldest,DROP_OLDEST", "conflate,CONFLATE", "disconnect,DISCONNECT", "durable,DURABLE"})
    void readsEachDeliveryPolicyByItsWireName(String wire, DeliveryPolicy expected) {
        assertThat(SubscriptionRequests.validate(subscribe().setDeliveryPolicy(wire).build()).policy()).isEqualTo(expected);
    }

    @Test
    void refusesAnUnknownPolicyNamingTheFieldAndTheChoices() {
        assertThatThrownBy(() -> SubscriptionRequests.validate(subscribe().setDeliveryPolicy("DROP_OLDEST").build()))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.error()).isEqualTo(ClientError.INVALID_DELIVERY_POLICY);
                    assertThat(r.field()).isEqualTo("delivery_policy");
                    assertThat(r.getMessage()).contains("'DROP_OLDEST'", "drop-oldest, conflate, disconnect, durable");
                });
    }

    @Test
    void acceptsAGroupOfTheAllowedCharacters() {
        assertThat(SubscriptionRequests.validate(subscribe().setGroup("billing-workers_2.eu").build()).group())
                .contains("billing-workers_2.eu");
        assertThat(SubscriptionRequests.validate(subscribe().build()).group()).isEmpty();
    }

    @Test
    void refusesAGroupNameThatIsTooLongOrHasOtherCharacters() {
        assertThatThrownBy(() -> SubscriptionRequests.validate(subscribe().setGroup("g".repeat(129)).build()))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.error()).isEqualTo(ClientError.INVALID_GROUP);
                    assertThat(r.field()).isEqualTo("group");
                    assertThat(r.getMessage()).contains("129", "128");
                });
        assertThatThrownBy(() -> SubscriptionRequests.validate(subscribe().setGroup("a/b").build()))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.field()).isEqualTo("group"));
    }

    @Test
    void refusesAGroupOfDurableSubscriptionsNamingTheGroup() {
        assertThatThrownBy(() -> SubscriptionRequests.validate(subscribe().setGroup("workers").setDeliveryPolicy("durable").build()))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.error()).isEqualTo(ClientError.INVALID_GROUP);
                    assertThat(r.field()).isEqualTo("group");
                });
    }

    @Test
    void refusesAResumeTokenOnASubscriptionThatIsNotDurable() {
        assertThatThrownBy(() -> SubscriptionRequests.validate(subscribe().setResumeToken("abc").build()))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.error()).isEqualTo(ClientError.INVALID_RESUME_TOKEN);
                    assertThat(r.field()).isEqualTo("resume_token");
                });
    }
}
