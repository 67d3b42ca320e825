package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;

/**
 * The AMQP error condition of each {@link ClientError}: what a rejected delivery or a refused link
 * carries. The description is {@code field: message}, so the client learns what is wrong and where.
 */
final class AmqpErrors {

    /** An error condition's {@code info} key holding the edge's code ({@code INVALID_TOPIC}, ...). */
    static final Symbol ERROR_CODE = Symbol.valueOf("mesh-error-code");

    private AmqpErrors() {
    }

    static ErrorCondition condition(Refusal refusal) {
        ErrorCondition condition = new ErrorCondition(symbol(refusal.error()), refusal.describe());
        condition.setInfo(java.util.Map.of(ERROR_CODE, refusal.error().name()));
        return condition;
    }

    static Symbol symbol(ClientError error) {
        return switch (error) {
            case PAYLOAD_TOO_LARGE, FRAME_TOO_LARGE -> LinkError.MESSAGE_SIZE_EXCEEDED;
            case UNSUPPORTED_MEDIA_TYPE, MALFORMED_FRAME, UNSUPPORTED_FRAME -> AmqpError.DECODE_ERROR;
            case THROTTLED -> AmqpError.RESOURCE_LIMIT_EXCEEDED;
            case BROKER_UNAVAILABLE, SCHEMA_UNAVAILABLE -> AmqpError.INTERNAL_ERROR;
            case NOT_SUBSCRIBED, INVALID_ACTION -> AmqpError.NOT_ALLOWED;
            case UNAUTHENTICATED, NOT_AUTHORIZED -> AmqpError.UNAUTHORIZED_ACCESS;
            default -> AmqpError.INVALID_FIELD;
        };
    }
}
