package io.meshwork.edge.internal.mqtt;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * HiveMQ's managed extension executor of one broker instance, where MQTT publishes are answered.
 * Bound in {@link MeshExtension#extensionStart} (the only moment {@code Services} belongs to this
 * instance), used by interceptors that exist before the broker does.
 */
final class ExtensionExecutor implements Executor {

    private volatile Executor delegate;

    void bind(Executor executor) {
        this.delegate = executor;
    }

    @Override
    public void execute(Runnable task) {
        Executor executor = delegate;
        if (executor == null) {
            throw new RejectedExecutionException("the HiveMQ extension has not started");
        }
        executor.execute(task);
    }
}
