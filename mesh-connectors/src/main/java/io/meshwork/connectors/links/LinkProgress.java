package io.meshwork.connectors.links;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * What a push link may commit in the origin's spool: per partition, the first offset the
 * neighbour has not acknowledged yet, or, with nothing outstanding, the position after what was
 * read (records a link guard dropped and transaction markers count as done once everything before
 * them is acknowledged). Committing only that is what makes the link at-least-once: a restart or
 * a rewind re-sends from there, and the destination's dedup ledger drops what arrived twice.
 *
 * <p>Sends are registered by the link's thread; acknowledgements arrive on the producer's I/O
 * thread, hence the locking. Each rewind starts a new generation, so that late answers to the
 * sends it abandoned are ignored.
 */
final class LinkProgress {

    private final Map<TopicPartition, TreeSet<Long>> unacknowledged = new HashMap<>();
    private final Map<TopicPartition, Long> read = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private int generation;
    private int outstanding;

    /** The generation sends are registered under now. */
    synchronized int generation() {
        return generation;
    }

    /** The record at {@code offset} was handed to the producer. Call before {@link #readUpTo} covers it. */
    synchronized void sent(TopicPartition partition, long offset) {
        if (unacknowledged.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset)) {
            outstanding++;
        }
    }

    /**
     * The neighbour acknowledged the record at {@code offset}, sent in {@code sentIn}.
     *
     * @return false if the send belongs to an abandoned generation (and was ignored)
     */
    synchronized boolean acknowledged(int sentIn, TopicPartition partition, long offset) {
        if (sentIn != generation) {
            return false;
        }
        TreeSet<Long> pending = unacknowledged.get(partition);
        if (pending != null && pending.remove(offset)) {
            outstanding--;
        }
        return true;
    }

    /** Everything in {@code partition} before {@code position} was read (and sent, or dropped by a guard). */
    synchronized void readUpTo(TopicPartition partition, long position) {
        read.merge(partition, position, Math::max);
    }

    /** Records sent and not acknowledged yet, over all partitions. */
    synchronized int outstanding() {
        return outstanding;
    }

    /** The safe positions that moved since the last {@link #committed} call. */
    synchronized Map<TopicPartition, Long> toCommit() {
        Map<TopicPartition, Long> moved = new HashMap<>();
        safePositions().forEach((partition, position) -> {
            if (!position.equals(committed.get(partition))) {
                moved.put(partition, position);
            }
        });
        return moved;
    }

    /** {@code positions} are now committed. */
    synchronized void committed(Map<TopicPartition, Long> positions) {
        positions.forEach((partition, position) -> committed.merge(partition, position, Math::max));
    }

    /**
     * Abandons every outstanding send: starts a new generation and returns the positions to
     * re-read from (the safe positions), which also become the read positions.
     */
    synchronized Map<TopicPartition, Long> rewind() {
        Map<TopicPartition, Long> safe = safePositions();
        generation++;
        unacknowledged.clear();
        outstanding = 0;
        read.clear();
        read.putAll(safe);
        return safe;
    }

    /** What may be committed now, per partition: where a new run of the link may resume without losing anything. */
    synchronized Map<TopicPartition, Long> safe() {
        return safePositions();
    }

    private Map<TopicPartition, Long> safePositions() {
        Map<TopicPartition, Long> safe = new HashMap<>(read);
        unacknowledged.forEach((partition, pending) -> {
            if (!pending.isEmpty()) {
                safe.put(partition, pending.first());
            }
        });
        return safe;
    }
}
