package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;

/**
 * The frames of a subscriber stream in their proto3 JSON mapping (DESIGN.md 2.4): client frames
 * are {@code SubscriptionRequest}, server frames are {@code EventEnvelope}, either carrying an
 * event or only a {@code control} confirmation/error.
 *
 * <p>Every control frame also names its type in {@code headers["mesh-control"]} and, for an
 * error, its code in {@code headers["mesh-error-code"]} (DESIGN.md 2.6): a client built from the
 * seed's proto, which has no {@code control} field, can still tell a confirmation or an error
 * from an event.
 */
public final class StreamFrames {

    /** Header naming a control frame's type ({@code SUBSCRIBED}, {@code ERROR}, ...). */
    public static final String CONTROL_HEADER = "mesh-control";
    /** Header naming an error frame's code ({@code INVALID_TOPIC_PATTERN}, ...). */
    public static final String ERROR_CODE_HEADER = "mesh-error-code";

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
        return control(StreamControl.newBuilder()
                .setType(type)
                .setClientId(request.getClientId())
                .setTopicPattern(request.getTopicPattern())
                .setFilterExpression(request.getFilterExpression()));
    }

    /**
     * A rejection of a client frame.
     *
     * @param request the request as far as it could be read, or {@code null}
     */
    public static EventEnvelope error(Refusal refusal, SubscriptionRequest request) {
        StreamControl.Builder control = StreamControl.newBuilder()
                .setType(StreamControl.Type.ERROR)
                .setErrorCode(refusal.error().name())
                .setField(refusal.field())
                .setMessage(refusal.getMessage());
        if (request != null) {
            control.setClientId(request.getClientId())
                    .setTopicPattern(request.getTopicPattern())
                    .setFilterExpression(request.getFilterExpression());
        }
        return control(control);
    }

    /** Any control frame, with its type (and error code) also given as headers. */
    public static EventEnvelope control(StreamControl.Builder control) {
        EventEnvelope.Builder frame = EventEnvelope.newBuilder()
                .putHeaders(CONTROL_HEADER, control.getType().name());
        if (!control.getErrorCode().isEmpty()) {
            frame.putHeaders(ERROR_CODE_HEADER, control.getErrorCode());
        }
        return frame.setControl(control).build();
    }
}
