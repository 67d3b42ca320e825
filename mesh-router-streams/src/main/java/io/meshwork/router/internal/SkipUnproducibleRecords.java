package io.meshwork.router.internal;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the router running when a record cannot be written for a reason retrying will not fix
 * (too large for the target topic): the record is logged and skipped. Anything else fails the
 * task, and Streams retries it, since dropping events silently would break delivery.
 */
public final class SkipUnproducibleRecords implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkipUnproducibleRecords.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            LOG.warn("router task {}: record for {} is too large to write ({}); skipped", context.taskId(), record.topic(),
                    exception.getMessage());
            return Response.resume();
        }
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
