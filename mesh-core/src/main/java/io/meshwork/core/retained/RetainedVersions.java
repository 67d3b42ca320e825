package io.meshwork.core.retained;

import java.util.HashMap;
import java.util.Map;

/**
 * The newest {@link RetainedVersion} seen per mesh topic, deletions included. Every region that
 * sees the same records ends with the same winner per topic, whatever order they came in.
 * Not thread-safe: one reader thread owns it.
 */
public final class RetainedVersions {

    private final Map<String, RetainedVersion> newest = new HashMap<>();

    /**
     * Records {@code version} for {@code topic} if it wins against every version seen so far.
     *
     * @return whether it won: the record is now the topic's retained message (or its deletion)
     */
    public boolean advance(String topic, RetainedVersion version) {
        if (!version.supersedes(newest.get(topic))) {
            return false;
        }
        newest.put(topic, version);
        return true;
    }

    /** Forgets everything, before re-reading from the beginning. */
    public void clear() {
        newest.clear();
    }

    /** Topics with a version (retained messages and deletions). */
    public int size() {
        return newest.size();
    }
}
