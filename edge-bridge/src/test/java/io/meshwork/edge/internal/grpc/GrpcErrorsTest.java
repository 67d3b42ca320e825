package io.meshwork.edge.internal.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import org.junit.jupiter.api.Test;

/** How a refusal reads as a gRPC status. */
class GrpcErrorsTest {

    @Test
    void clientFaultIsInvalidArgumentNamingTheFieldWithTheCodeInATrailer() throws Exception {
        StatusRuntimeException status = GrpcErrors.toStatus(
                new Refusal(ClientError.INVALID_TOPIC_PATTERN, "topic_pattern", "topic_pattern is required"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).isEqualTo("topic_pattern: topic_pattern is required");
        assertThat(status.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INVALID_TOPIC_PATTERN");
        BadRequest detail = StatusProto.fromThrowable(status).getDetails(0).unpack(BadRequest.class);
        assertThat(detail.getFieldViolations(0).getField()).isEqualTo("topic_pattern");
    }

    @Test
    void brokerFailureIsUnavailable() {
        StatusRuntimeException status = GrpcErrors.toStatus(new Refusal(ClientError.BROKER_UNAVAILABLE, "event_id",
                "the regional Kafka cluster did not acknowledge the event: timeout"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getStatus().getDescription()).isEqualTo("the regional Kafka cluster did not acknowledge the event: timeout");
        assertThat(status.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("BROKER_UNAVAILABLE");
    }
}
