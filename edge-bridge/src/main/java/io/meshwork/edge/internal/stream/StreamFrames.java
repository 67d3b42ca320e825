package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;

/**
 * The frames of a subscriber stream in their proto3 JSON mapping (DESIGN.md 2.4): client frames
 * are {@code SubscriptionRequest}, server frames are {@code EventEnvelope}, either carrying an
 * event or only a {@code control} confirmation/error.
 */
public final class StreamFrames {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    // Unknown fields are rejected: a typo in "topicPattern" must not silently subscribe to nothing.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private StreamFrames() {
    }

    /** Parses a client frame; the exception's message says what is wrong with it. */
    public static SubscriptionRequest parseRequest(String json) throws InvalidProtocolBufferException {
        SubscriptionRequest.Builder request = SubscriptionRequest.newBuilder();
        PARSER.merge(json, request);
        return request.build();
    }

    public static String toJson(EventEnvelope envelope) {
        try {
            return PRINTER.print(envelope);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("EventEnvelope cannot be printed as JSON", e);
        }
    }

    /** A confirmation of a subscription request. */
    public static EventEnvelope confirmation(StreamControl.Type type, SubscriptionRequest request) {
        return EventEnvelope.newBuilder().setControl(StreamControl.newBuilder()
                .setType(type)
                .setClientId(request.getClientId())
                .setTopicPattern(request.getTopicPattern())
                .setFilterExpression(request.getFilterExpression())).build();
    }

    /**
     * A rejection of a client frame; the stream and its other subscriptions stay up.
     *
     * @param request the request as far as it could be read, or {@code null}
     */
    public static EventEnvelope error(String code, String field, String message, SubscriptionRequest request) {
        StreamControl.Builder control = StreamControl.newBuilder()
                .setType(StreamControl.Type.ERROR)
                .setErrorCode(code)
                .setField(field)
                .setMessage(message);
        if (request != null) {
            control.setClientId(request.getClientId())
                    .setTopicPattern(request.getTopicPattern())
                    .setFilterExpression(request.getFilterExpression());
        }
        return EventEnvelope.newBuilder().setControl(control).build();
    }
}
