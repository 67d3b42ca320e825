package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.pubrec.PubrecOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundOutput;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Holds every PUBREC of a QoS 2 flow until the flow's event is written to Kafka.
 *
 * <p>The PUBREC that answers the first PUBLISH of a flow already waits: the publish interceptor
 * answers only after Kafka's ack. But HiveMQ answers a PUBLISH that repeats a packet identifier
 * whose flow is still open (a DUP retransmission, before PUBREL) with a PUBREC of its own, at
 * once, without calling the interceptor (which is what keeps the repeat from becoming a second
 * event). Sent while the first write is still on its way, that PUBREC would tell the client the
 * mesh owns a message Kafka has not acknowledged yet. So the write of each QoS 2 flow is known
 * here until it completes, and a PUBREC for that flow waits for it.
 *
 * <p>HiveMQ does not let an extension turn a successful PUBREC into a failure, so a repeat whose
 * first write then fails still gets a successful PUBREC after the failing one; the client acts on
 * the first.
 */
final class Qos2Receipts implements PubrecOutboundInterceptor {

    private record Flow(String clientId, int packetId) {
    }

    private final ConcurrentMap<Flow, CompletableFuture<?>> writing = new ConcurrentHashMap<>();

    /** Records that the QoS 2 PUBLISH {@code packetId} of {@code clientId} is being written; forgotten once written. */
    void writing(String clientId, int packetId, CompletableFuture<?> write) {
        Flow flow = new Flow(clientId, packetId);
        writing.put(flow, write);
        write.whenComplete((done, error) -> writing.remove(flow, write));
    }

    /** Flows whose write is still under way (for tests and metrics). */
    int pending() {
        return writing.size();
    }

    @Override
    public void onOutboundPubrec(PubrecOutboundInput input, PubrecOutboundOutput output) {
        CompletableFuture<?> write = writing.get(new Flow(input.getClientInformation().getClientId(),
                input.getPubrecPacket().getPacketIdentifier()));
        if (write == null || write.isDone()) {
            return;
        }
        // On timeout HiveMQ sends the PUBREC as it is; the publish interceptor's own timeout fails the flow first.
        Async<PubrecOutboundOutput> async = output.async(MqttPublishInterceptor.ACK_TIMEOUT.plusSeconds(5));
        write.whenComplete((done, error) -> async.resume());
    }
}
