package io.meshwork.edge.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.egress.EgressListener;
import io.meshwork.edge.internal.egress.EgressQueue;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.interest.RecordingInterest;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The subscription session both streams share, over a recording transport and a real registry. */
class SubscriptionSessionTest {

    /** A connection that records what the session sends it and how it was ended. */
    private static final class RecordingTransport implements SessionTransport {
        final List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
        final EgressQueue queue = new EgressQueue(SubscriberQueueSettings.DEFAULTS, EgressListener.NONE);
        volatile Refusal closedWith;

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public void deliver(OutboundEvent event) {
            frames.add(event.envelope());
        }

        @Override
        public void send(EventEnvelope frame) {
            frames.add(frame);
        }

        @Override
        public void close(Refusal reason) {
            closedWith = reason;
        }

        @Override
        public EgressLane openLane(DeliveryPolicy policy, String pattern) {
            return queue.open(policy, pattern);
        }

        @Override
        public void closeLane(EgressLane lane) {
            queue.close(lane);
        }

        StreamControl last() {
            return frames.get(frames.size() - 1).getControl();
        }
    }

    private final RecordingInterest interest = new RecordingInterest();
    private final SubscriptionRegistry registry = new SubscriptionRegistry(interest);
    // Never started: subscriptions here stay short of MESH_ACTIVE, which needs the routers.
    private final MeshActivation activation = new MeshActivation(io.meshwork.core.kafka.KafkaClients.of("127.0.0.1:9"), "test-region", Set.of("test-region", "other"));
    private final RecordingTransport transport = new RecordingTransport();
    private final AtomicInteger closedCalls = new AtomicInteger();

    @AfterEach
    void stop() throws InterruptedException {
        activation.close();
    }

    private SubscriptionSession session(SubscriptionSession.WhenRefused whenRefused) {
        return new SubscriptionSession(transport, registry, activation, "test-region", whenRefused, closedCalls::incrementAndGet);
    }

    private static SubscriptionRequest request(SubscriptionRequest.Action action, String pattern) {
        return SubscriptionRequest.newBuilder().setClientId("c-1").setAction(action).setTopicPattern(pattern).build();
    }

    @Test
    void subscribeRegistersInterestAndConfirmsWithAFrameReadableWithoutTheControlField() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.KEEP_OPEN);

        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#"));

        assertThat(registry.holdsAny(transport)).isTrue();
        assertThat(interest.changes()).containsExactly("+orders/#");
        EventEnvelope frame = transport.frames.get(0);
        assertThat(frame.getControl().getType()).isEqualTo(StreamControl.Type.SUBSCRIBED);
        assertThat(frame.getControl().getTopicPattern()).isEqualTo("orders/#");
        assertThat(frame.getHeadersMap()).containsExactly(java.util.Map.entry("mesh-control", "SUBSCRIBED"));
    }

    @Test
    void unsubscribeConfirmsAndWithdrawsTheInterest() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.KEEP_OPEN);
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#"));

        session.handle(request(SubscriptionRequest.Action.UNSUBSCRIBE, "orders/#"));

        assertThat(transport.last().getType()).isEqualTo(StreamControl.Type.UNSUBSCRIBED);
        assertThat(registry.holdsAny(transport)).isFalse();
        assertThat(interest.changes()).containsExactly("+orders/#", "-orders/#");
    }

    @Test
    void invalidRequestGetsAnErrorFrameWithItsCodeInTheHeadersAndTheStreamStaysUp() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.KEEP_OPEN);

        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#/x"));

        EventEnvelope frame = transport.frames.get(0);
        assertThat(frame.getControl().getType()).isEqualTo(StreamControl.Type.ERROR);
        assertThat(frame.getControl().getErrorCode()).isEqualTo("INVALID_TOPIC_PATTERN");
        assertThat(frame.getControl().getField()).isEqualTo("topic_pattern");
        assertThat(frame.getControl().getClientId()).isEqualTo("c-1");
        assertThat(frame.getHeadersMap()).containsEntry("mesh-control", "ERROR").containsEntry("mesh-error-code", "INVALID_TOPIC_PATTERN");
        assertThat(transport.closedWith).isNull();
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void badFilterAndBadActionAndUnknownUnsubscribeAreEachNamed() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.KEEP_OPEN);

        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "a/b").toBuilder().setFilterExpression("amount >").build());
        assertThat(transport.last().getErrorCode()).isEqualTo("INVALID_FILTER");
        assertThat(transport.last().getField()).isEqualTo("filter_expression");
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "a/b").toBuilder().setActionValue(9).build());
        assertThat(transport.last().getErrorCode()).isEqualTo("INVALID_ACTION");
        assertThat(transport.last().getField()).isEqualTo("action");
        session.handle(request(SubscriptionRequest.Action.UNSUBSCRIBE, "never/held"));
        assertThat(transport.last().getErrorCode()).isEqualTo("NOT_SUBSCRIBED");
        assertThat(transport.last().getMessage()).isEqualTo("this stream holds no subscription to 'never/held'");
    }

    @Test
    void whereTheContractSaysSoARefusalEndsAStreamThatHoldsNoSubscription() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.END_IF_NO_SUBSCRIPTION);

        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, ""));

        assertThat(transport.closedWith).isNotNull();
        assertThat(transport.closedWith.error()).isEqualTo(ClientError.INVALID_TOPIC_PATTERN);
        assertThat(transport.closedWith.field()).isEqualTo("topic_pattern");
        assertThat(transport.frames).isEmpty();
        assertThat(session.isClosed()).isTrue();
        assertThat(closedCalls).hasValue(1);
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "late/#"));
        assertThat(registry.holdsAny(transport)).as("requests after the end are ignored").isFalse();
    }

    @Test
    void aStreamWithSubscriptionsStaysUpOnARefusalWhateverItsTransport() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.END_IF_NO_SUBSCRIPTION);
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#"));

        session.refuse(new Refusal(ClientError.MALFORMED_FRAME, "frame", "not a SubscriptionRequest"), null);

        assertThat(transport.closedWith).isNull();
        assertThat(transport.last().getErrorCode()).isEqualTo("MALFORMED_FRAME");
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void closingRemovesEverySubscriptionOnce() {
        SubscriptionSession session = session(SubscriptionSession.WhenRefused.KEEP_OPEN);
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#"));
        session.handle(request(SubscriptionRequest.Action.SUBSCRIBE, "payments/+"));

        session.close("test");
        session.close("again");

        assertThat(registry.holdsAny(transport)).isFalse();
        assertThat(registry.patternCount()).isZero();
        assertThat(interest.changes()).containsExactlyInAnyOrder("+orders/#", "+payments/+", "-orders/#", "-payments/+");
        assertThat(closedCalls).hasValue(1);
    }
}
