package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.pubrec.PubrecOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.pubrel.PubrelInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pubrel.parameter.PubrelInboundInput;
import com.hivemq.extension.sdk.api.interceptor.pubrel.parameter.PubrelInboundOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no PUBREC tells an MQTT client the mesh owns a QoS 2 message that Kafka does not have.
 *
 * <p>HiveMQ answers a PUBLISH that repeats the packet identifier of a flow it still holds (a DUP
 * retransmission, before PUBREL) with a successful PUBREC of its own, at once and without calling
 * the publish interceptor: that is what keeps a retransmission from becoming a second event. Two
 * cases make that PUBREC untrue, and this interceptor, which sees every outgoing PUBREC, handles
 * both:
 * <ul>
 *   <li>The first PUBLISH's write is still on its way: the PUBREC waits for it.</li>
 *   <li>The flow was refused (PUBREC with a failure code, or MQTT 3.1.1's closed connection).
 *       HiveMQ keeps the refused PUBLISH until a PUBREL that never comes, so the next PUBLISH
 *       with that identifier, a retransmission or a new message the client may legitimately send
 *       with a freed identifier, would be acknowledged and dropped. HiveMQ lets no extension turn
 *       a successful PUBREC into a failure, so the client is disconnected (MQTT 5: 0x83 with a
 *       reason string) before the PUBREC reaches it: it learns the message was not taken.</li>
 * </ul>
 * A refused flow is forgotten once the client sends a PUBREL for it or a new PUBLISH with its
 * identifier reaches the interceptor.
 */
final class Qos2Receipts implements PubrecOutboundInterceptor, PubrelInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(Qos2Receipts.class);
    /** Refused flows remembered at most; beyond it a refusal is not remembered (and logged). */
    static final int MAX_REFUSED = 65_536;

    private record Flow(String clientId, int packetId) {
    }

    private final String region;
    private final ConcurrentMap<Flow, CompletableFuture<?>> writing = new ConcurrentHashMap<>();
    private final Set<Flow> refused = ConcurrentHashMap.newKeySet();
    // Captured in extensionStart (never Services.* later: the static registry is the last started broker's).
    private final AtomicReference<ClientService> clients = new AtomicReference<>();

    Qos2Receipts(String region) {
        this.region = region;
    }

    void bind(ClientService service) {
        clients.set(service);
    }

    /** Records that the QoS 2 PUBLISH {@code packetId} of {@code clientId} is being written; forgotten once written. */
    void writing(String clientId, int packetId, CompletableFuture<?> write) {
        Flow flow = new Flow(clientId, packetId);
        refused.remove(flow); // HiveMQ passed it on as a new message: it no longer holds a refused one
        writing.put(flow, write);
        write.whenComplete((done, error) -> {
            writing.remove(flow, write);
            if (error != null) {
                remember(flow);
            }
        });
    }

    @Override
    public void onOutboundPubrec(PubrecOutboundInput input, PubrecOutboundOutput output) {
        AckReasonCode code = input.getPubrecPacket().getReasonCode();
        if (code != AckReasonCode.SUCCESS && code != AckReasonCode.NO_MATCHING_SUBSCRIBERS) {
            return; // a refusal says what happened
        }
        Flow flow = new Flow(input.getClientInformation().getClientId(), input.getPubrecPacket().getPacketIdentifier());
        CompletableFuture<?> write = writing.get(flow);
        if ((write == null || write.isDone()) && !refused.contains(flow)) {
            return;
        }
        // On timeout HiveMQ sends the PUBREC as it is; the publish interceptor's own timeout fails the flow first.
        Async<PubrecOutboundOutput> async = output.async(MqttPublishInterceptor.ACK_TIMEOUT.plusSeconds(5));
        CompletableFuture<?> written = write == null ? CompletableFuture.completedFuture(null) : write;
        written.handle((done, error) -> refused.contains(flow) ? disconnect(flow) : CompletableFuture.completedFuture(false))
                .thenCompose(disconnecting -> disconnecting)
                .whenComplete((disconnected, error) -> async.resume());
    }

    @Override
    public void onInboundPubrel(PubrelInboundInput input, PubrelInboundOutput output) {
        // HiveMQ ends the flow it holds with the PUBCOMP.
        refused.remove(new Flow(input.getClientInformation().getClientId(), input.getPubrelPacket().getPacketIdentifier()));
    }

    private CompletableFuture<Boolean> disconnect(Flow flow) {
        ClientService service = clients.get();
        if (service == null) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.info("region {}: MQTT client {} used packet identifier {} of a refused QoS 2 flow, which the broker still holds; "
                + "disconnected so that the PUBLISH is not acknowledged unwritten", region, flow.clientId(), flow.packetId());
        return service.disconnectClient(flow.clientId(), false, DisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                "packet identifier " + flow.packetId() + " belongs to a refused QoS 2 flow that was never released; "
                        + "the PUBLISH was not written: send it again on a new connection or with another packet identifier");
    }

    private void remember(Flow flow) {
        if (refused.size() >= MAX_REFUSED) {
            LOG.warn("region {}: {} refused QoS 2 flows remembered already; flow {} of MQTT client {} is not", region,
                    MAX_REFUSED, flow.packetId(), flow.clientId());
            return;
        }
        refused.add(flow);
    }
}
