package io.meshwork.edge.internal.interest;

import io.meshwork.core.interest.InterestSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An interest sink that records each change as {@code +pattern} or {@code -pattern}, in order. */
public final class RecordingInterest implements InterestSink {

    private final List<String> changes = new CopyOnWriteArrayList<>();

    @Override
    public void acquire(String pattern, String selector) {
        changes.add("+" + pattern);
    }

    @Override
    public void release(String pattern, String selector) {
        changes.add("-" + pattern);
    }

    /** The changes so far, oldest first. */
    public List<String> changes() {
        return List.copyOf(changes);
    }
}
