package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import org.junit.jupiter.api.Test;

/** How each client error code reads as an MQTT 5 PUBACK reason code. */
class MqttReasonCodesTest {

    private static AckReasonCode codeFor(ClientError error) {
        return MqttPublishInterceptor.reasonCode(new Refusal(error, "f", "m"));
    }

    @Test
    void topicErrorsAreTopicNameInvalid() {
        assertThat(codeFor(ClientError.INVALID_TOPIC)).isEqualTo(AckReasonCode.TOPIC_NAME_INVALID);
        assertThat(codeFor(ClientError.CONFLICTING_TOPIC)).isEqualTo(AckReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void brokerFailureIsUnspecifiedError() {
        assertThat(codeFor(ClientError.BROKER_UNAVAILABLE)).isEqualTo(AckReasonCode.UNSPECIFIED_ERROR);
    }

    @Test
    void otherBadInputIsImplementationSpecificError() {
        assertThat(codeFor(ClientError.INVALID_EVENT)).isEqualTo(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
        assertThat(codeFor(ClientError.PAYLOAD_TOO_LARGE)).isEqualTo(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
    }
}
