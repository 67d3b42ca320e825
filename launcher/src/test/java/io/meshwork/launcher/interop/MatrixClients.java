package io.meshwork.launcher.interop;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwork.core.envelope.EnvelopeMapper;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.RegionEndpoints;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real clients of every protocol, as the interoperability matrix uses them. */
final class MatrixClients {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private MatrixClients() {
    }

    /** One event every publisher sends the same way: id, topic, type, source, an extension, JSON payload. */
    record Sent(String id, String topic, String payload) {
        static final String TYPE = "matrix.event";
        static final String SOURCE = "/matrix";
        static final String EXTENSION = "tenant";
        static final String EXTENSION_VALUE = "acme";
    }

    interface Publishing {
        void publish(EmbeddedMesh mesh, String region, Sent event) throws Exception;
    }

    interface Subscribing extends AutoCloseable {
        /** Subscribes and returns once the subscription is active in every region. */
        void subscribe(String pattern) throws Exception;

        Optional<EventEnvelope> received(String id);

        default EventEnvelope awaitEvent(String id) {
            return org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> received(id).orElse(null), e -> e != null);
        }
    }

    static final Publishing REST = (mesh, region, event) -> {
        var response = new Publisher(mesh.region(region).httpUrl()).publish(Map.of(
                "Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", event.id(), "ce-type", Sent.TYPE,
                "ce-source", Sent.SOURCE, "ce-meshtopic", event.topic(), "ce-" + Sent.EXTENSION, Sent.EXTENSION_VALUE),
                event.payload().getBytes(StandardCharsets.UTF_8), "");
        if (response.statusCode() != 202) {
            throw new AssertionError("REST publish answered " + response.statusCode() + " " + response.body());
        }
    };

    static final Publishing WEBSOCKET = (mesh, region, event) -> {
        try (StreamClient client = StreamClient.connect(mesh.region(region).streamUrl())) {
            client.send("{\"eventId\":\"" + event.id() + "\",\"type\":\"" + Sent.TYPE + "\",\"source\":\"" + Sent.SOURCE
                    + "\",\"topic\":\"" + event.topic() + "\",\"contentType\":\"application/json\",\"payloadBytes\":\""
                    + java.util.Base64.getEncoder().encodeToString(event.payload().getBytes(StandardCharsets.UTF_8))
                    + "\",\"extensions\":{\"" + Sent.EXTENSION + "\":\"" + Sent.EXTENSION_VALUE + "\"}}");
            client.awaitFrame(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.PUBLISHED);
        }
    };

    static final Publishing GRPC = (mesh, region, event) -> {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(mesh.region(region).grpcTarget()).usePlaintext().build();
        try {
            PublishServiceGrpc.newBlockingStub(channel).publish(PublishRequest.newBuilder().setEventId(event.id())
                    .setType(Sent.TYPE).setSource(Sent.SOURCE).setTopic(event.topic()).setContentType("application/json")
                    .putExtensions(Sent.EXTENSION, Sent.EXTENSION_VALUE).setPayloadBytes(ByteString.copyFromUtf8(event.payload())).build());
        } finally {
            channel.shutdownNow();
        }
    };

    static final Publishing KAFKA = (mesh, region, event) -> {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                mesh.region(region).bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<String, byte[]>(MeshKafkaTopics.EVENTS, null, event.payload().getBytes(StandardCharsets.UTF_8));
            for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", event.id()}, {"ce_type", Sent.TYPE},
                    {"ce_source", Sent.SOURCE}, {"ce_meshtopic", event.topic()}, {"ce_" + Sent.EXTENSION, Sent.EXTENSION_VALUE},
                    {"content-type", "application/json"}}) {
                record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    };

    /** A WebSocket subscriber; confirmed mesh-wide by the MESH_ACTIVE control frame. */
    static Subscribing webSocket(RegionEndpoints region) throws Exception {
        StreamClient client = StreamClient.connect(region.streamUrl());
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) throws Exception {
                client.subscribe(pattern);
                client.awaitControl(StreamControl.Type.MESH_ACTIVE, pattern);
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return client.events().stream().filter(e -> e.getEventId().equals(id)
                        || payloadId(e.getPayloadBytes().toByteArray()).equals(id)).findFirst();
            }

            @Override
            public void close() throws Exception {
                client.close();
            }
        };
    }

    /** A gRPC Subscribe stream; confirmed mesh-wide by the MESH_ACTIVE control message. */
    static Subscribing grpc(RegionEndpoints region) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(region.grpcTarget()).usePlaintext().build();
        List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
        StreamObserver<SubscriptionRequest> requests = SubscriptionServiceGrpc.newStub(channel).subscribe(new StreamObserver<>() {
            @Override
            public void onNext(EventEnvelope frame) {
                frames.add(frame);
            }

            @Override
            public void onError(Throwable error) {
            }

            @Override
            public void onCompleted() {
            }
        });
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) {
                requests.onNext(SubscriptionRequest.newBuilder().setClientId("matrix").setTopicPattern(pattern).build());
                await().atMost(WAIT).until(() -> frames.stream().anyMatch(f -> f.hasControl()
                        && f.getControl().getType() == StreamControl.Type.MESH_ACTIVE && f.getControl().getTopicPattern().equals(pattern)));
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return frames.stream().filter(e -> e.getEventId().equals(id)
                        || payloadId(e.getPayloadBytes().toByteArray()).equals(id)).findFirst();
            }

            @Override
            public void close() {
                requests.onCompleted();
                channel.shutdownNow();
            }
        };
    }

    /**
     * A plain Kafka consumer of the region's {@code mesh.events}. A Kafka client registers its
     * interest the way edges do: a lease and a subscription record on {@code mesh.interest}.
     */
    static Subscribing kafka(EmbeddedMesh mesh, RegionEndpoints region) {
        String clientId = "kafka-matrix-" + region.region();
        KafkaEventCodec codec = new KafkaEventCodec(region.region(), region.region());
        Map<String, EventEnvelope> seen = new java.util.concurrent.ConcurrentHashMap<>();
        var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, region.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, region.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        List<TopicPartition> partitions = consumer.partitionsFor(MeshKafkaTopics.EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread reader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            var event = codec.decode(record);
                            EventEnvelope envelope = EnvelopeMapper.toEnvelope(event, record.timestamp());
                            seen.put(event.id(), envelope);
                            seen.put(payloadId(event.payload()), envelope);
                        } catch (RuntimeException ignored) {
                            // not a mesh event: the router dead-letters it
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException | org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }, "matrix-kafka-" + region.region());
        reader.start();
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) throws Exception {
                producer.send(new ProducerRecord<>(MeshKafkaTopics.INTEREST, InterestKey.lease(clientId).encode(),
                        new EdgeLease(region.region(), System.currentTimeMillis() + 600_000).encode())).get();
                producer.send(new ProducerRecord<>(MeshKafkaTopics.INTEREST, InterestKey.subscription(clientId, pattern, "").encode(),
                        region.region().getBytes(StandardCharsets.UTF_8))).get();
                for (String other : mesh.topology().regionNames()) {
                    if (!other.equals(region.region())) {
                        await().atMost(WAIT).until(() -> mesh.router(other).regionsWanting(pattern.replace("#", "x")).contains(region.region()));
                    }
                }
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return Optional.ofNullable(seen.get(id));
            }

            @Override
            public void close() throws Exception {
                producer.send(new ProducerRecord<>(MeshKafkaTopics.INTEREST, InterestKey.lease(clientId).encode(), null)).get();
                producer.close();
                reader.interrupt();
                consumer.wakeup();
                reader.join(5_000);
            }
        };
    }

    static final Publishing MQTT_3 = (mesh, region, event) -> {
        var client = new org.eclipse.paho.client.mqttv3.MqttClient(mesh.region(region).mqttUri(), "pub3-" + UUID.randomUUID(),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            client.connect();
            // MQTT 3.1.1 carries no properties: the edge names the event (id, type, source) itself.
            client.publish(event.topic(), event.payload().getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        } finally {
            client.close();
        }
    };

    static final Publishing MQTT_5 = (mesh, region, event) -> {
        var client = new org.eclipse.paho.mqttv5.client.MqttClient(mesh.region(region).mqttUri(), "pub5-" + UUID.randomUUID(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            client.connect();
            var message = new org.eclipse.paho.mqttv5.common.MqttMessage(event.payload().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            var properties = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
            properties.setContentType("application/json");
            properties.setUserProperties(List.of(
                    new org.eclipse.paho.mqttv5.common.packet.UserProperty("id", event.id()),
                    new org.eclipse.paho.mqttv5.common.packet.UserProperty("type", Sent.TYPE),
                    new org.eclipse.paho.mqttv5.common.packet.UserProperty("source", Sent.SOURCE),
                    new org.eclipse.paho.mqttv5.common.packet.UserProperty(Sent.EXTENSION, Sent.EXTENSION_VALUE)));
            message.setProperties(properties);
            client.publish(event.topic(), message);
            client.disconnect();
        } finally {
            client.close();
        }
    };

    /** The id the matrix put in the payload, for clients that see no event id (MQTT 3.1.1). */
    static String payloadId(byte[] payload) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).path("id").asText("");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** An MQTT 3.1.1 subscriber: topic and payload only. The embedded edges hold the SUBACK until mesh-wide. */
    static Subscribing mqtt3(RegionEndpoints region) throws Exception {
        var client = new org.eclipse.paho.client.mqttv3.MqttClient(region.mqttUri(), "sub3-" + UUID.randomUUID(),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        Map<String, EventEnvelope> seen = new java.util.concurrent.ConcurrentHashMap<>();
        var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) throws Exception {
                client.subscribe(pattern, 1, (topic, message) -> seen.put(payloadId(message.getPayload()),
                        EventEnvelope.newBuilder().setTopic(topic).setPayloadBytes(ByteString.copyFrom(message.getPayload())).build()));
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return Optional.ofNullable(seen.get(id));
            }

            @Override
            public void close() throws Exception {
                client.disconnect();
                client.close();
            }
        };
    }

    /**
     * An MQTT 5 subscriber that asks for the mesh's attributes (SUBSCRIBE user property
     * {@code mesh-attributes=true}): user properties are the envelope headers, plus mesh-routing-path;
     * the content type is {@code datacontenttype}.
     */
    static Subscribing mqtt5(RegionEndpoints region) throws Exception {
        var client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(region.mqttUri(), "sub5-" + UUID.randomUUID(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        Map<String, EventEnvelope> seen = new java.util.concurrent.ConcurrentHashMap<>();
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                EventEnvelope.Builder envelope = EventEnvelope.newBuilder().setTopic(topic)
                        .setPayloadBytes(ByteString.copyFrom(message.getPayload()));
                if (message.getProperties().getContentType() != null) {
                    envelope.putHeaders("datacontenttype", message.getProperties().getContentType());
                }
                for (var property : message.getProperties().getUserProperties()) {
                    if (property.getKey().equals("mesh-routing-path")) {
                        envelope.addAllRoutingPath(List.of(property.getValue().split(",")));
                    } else {
                        envelope.putHeaders(property.getKey(), property.getValue());
                    }
                }
                envelope.setEventId(envelope.getHeadersOrDefault("id", ""));
                seen.put(payloadId(message.getPayload()), envelope.build());
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        client.connect().waitForCompletion(30_000);
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) throws Exception {
                var properties = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
                properties.setUserProperties(List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("mesh-attributes", "true")));
                client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {new org.eclipse.paho.mqttv5.common.MqttSubscription(pattern, 1)},
                        null, null, properties).waitForCompletion(60_000);
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return Optional.ofNullable(seen.get(id));
            }

            @Override
            public void close() throws Exception {
                client.disconnect().waitForCompletion(30_000);
                client.close();
            }
        };
    }

    static Map<String, Publishing> publishers() {
        Map<String, Publishing> all = new HashMap<>();
        all.put("REST", REST);
        all.put("WebSocket", WEBSOCKET);
        all.put("gRPC", GRPC);
        all.put("Kafka", KAFKA);
        all.put("MQTT-3.1.1", MQTT_3);
        all.put("MQTT-5", MQTT_5);
        all.put("AMQP", AmqpMatrixClients.PUBLISHER);
        return all;
    }
}
