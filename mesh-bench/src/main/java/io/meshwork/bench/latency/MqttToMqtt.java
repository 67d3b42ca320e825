package io.meshwork.bench.latency;

import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.launcher.RegionEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 publish (Paho, QoS 1, PUBACK after Kafka acked) → MQTT subscriber (QoS 1), one region.
 *
 * <p>The load comes from {@value #PUBLISHERS} publishing clients in turn, like a fleet of devices:
 * the broker handles one client's publishes one after another and holds each PUBACK until Kafka
 * acknowledged the event, so a single client's rate is bounded by the Kafka acknowledgement
 * time (about 300 QoS 1 publishes a second here), whatever the mesh's capacity.
 */
final class MqttToMqtt implements LatencyPath {

    static final int PUBLISHERS = 32;
    private static final int MAX_IN_FLIGHT = 10_000;

    private final RegionEndpoints region;
    private final String topic = "bench/latency/mqtt/" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong failures = new AtomicLong();
    private MqttClient subscriber;
    private final List<MqttAsyncClient> publishers = new ArrayList<>();

    MqttToMqtt(RegionEndpoints region) {
        this.region = region;
    }

    @Override
    public String name() {
        return "MQTT -> MQTT (" + PUBLISHERS + " publishing clients)";
    }

    @Override
    public void open(LatencyRecorder recorder) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(MAX_IN_FLIGHT);
        options.setConnectionTimeout(30);
        subscriber = new MqttClient(region.mqttUri(), "bench-sub-" + UUID.randomUUID(), new MemoryPersistence());
        subscriber.connect(options);
        // The embedded mesh holds the SUBACK until the subscription is active mesh-wide.
        subscriber.subscribe(topic + "/#", 1, (t, message) -> {
            long received = System.nanoTime();
            long published = Payloads.timeOf(message.getPayload());
            if (published >= 0) {
                recorder.record(published, received);
            }
        });
        // Connect the publishers side by side: one after another they took seconds of each run.
        List<IMqttToken> connecting = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            MqttAsyncClient publisher = new MqttAsyncClient(region.mqttUri(), "bench-pub-" + UUID.randomUUID(), new MemoryPersistence());
            publishers.add(publisher);
            connecting.add(publisher.connect(options));
        }
        for (IMqttToken token : connecting) {
            token.waitForCompletion(30_000);
        }
    }

    @Override
    public void publish(long sequence, long scheduledNanos, int size) throws Exception {
        MqttMessage message = new MqttMessage(Payloads.timed(scheduledNanos, sequence, size));
        message.setQos(1);
        publishers.get((int) (sequence % PUBLISHERS)).publish(topic + "/e", message, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
                failures.incrementAndGet();
            }
        });
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() throws Exception {
        List<Object> clients = new ArrayList<>(publishers);
        clients.add(subscriber);
        for (Object client : clients) {
            try {
                if (client instanceof MqttAsyncClient async && async.isConnected()) {
                    async.disconnect().waitForCompletion(5_000);
                } else if (client instanceof MqttClient sync && sync.isConnected()) {
                    sync.disconnect(1_000);
                }
            } catch (Exception e) {
                // Closing after the measurement: nothing left to report.
            }
        }
    }
}
