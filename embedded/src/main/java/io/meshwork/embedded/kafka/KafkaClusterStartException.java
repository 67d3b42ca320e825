package io.meshwork.embedded.kafka;

/** An embedded Kafka cluster could not start; the message names the cluster and the reason. */
public final class KafkaClusterStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaClusterStartException(String message) {
        super(message);
    }

    public KafkaClusterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
