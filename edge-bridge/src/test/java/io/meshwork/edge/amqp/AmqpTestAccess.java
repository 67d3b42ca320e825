package io.meshwork.edge.amqp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.message.Message;

/** One AMQP publish of a raw client ({@link RawAmqpClient}) for tests outside this package. */
public final class AmqpTestAccess {

    private AmqpTestAccess() {
    }

    /** Sends one CloudEvent (binary mode, JSON {@code payload}) to {@code address} and returns the edge's outcome. */
    public static DeliveryState send(int port, String address, String payload) throws Exception {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(new HashMap<>(Map.of("cloudEvents:id", "evt-" + UUID.randomUUID(),
                "cloudEvents:type", "order.created", "cloudEvents:source", "/test"))));
        message.setContentType("application/json");
        message.setBody(new Data(new Binary(payload.getBytes(StandardCharsets.UTF_8))));
        try (RawAmqpClient client = RawAmqpClient.connect(port)) {
            return client.send(address, message);
        }
    }
}
