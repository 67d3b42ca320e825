package io.meshwork.core.trace;

import io.cloudevents.CloudEvent;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Decides at the origin edge whether an event is traced: every event whose W3C
 * {@code traceparent} says sampled, or that carries the {@code meshtrace} extension, or that is
 * flagged trace-only ({@code meshtraceonly}), and a random share {@code rate} of the rest.
 */
public final class TraceSampler {

    /** CloudEvents extension asking for a trace of this event ({@code true}). */
    public static final String TRACE_EXTENSION = "meshtrace";
    /** CloudEvents extension flagging a dry run: routed and traced, delivered to nobody ({@code true}). */
    public static final String TRACE_ONLY_EXTENSION = "meshtraceonly";
    /** CloudEvents distributed-tracing extension (W3C Trace Context). */
    public static final String TRACEPARENT_EXTENSION = "traceparent";
    /** The default share of events traced: 1 %. */
    public static final double DEFAULT_RATE = 0.01;

    private final double rate;

    /** @param rate share of events traced without being asked to, within 0..1 */
    public TraceSampler(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("invalid trace sampling rate " + rate + ": must be within 0..1");
        }
        this.rate = rate;
    }

    public double rate() {
        return rate;
    }

    public TraceMode decide(CloudEvent event) {
        return decide(event::getExtension);
    }

    /**
     * The decision for an event whose extensions {@code extension} looks up by name (so a router
     * can decide from a record's headers without decoding the event).
     */
    public TraceMode decide(Function<String, Object> extension) {
        if (isTrue(extension.apply(TRACE_ONLY_EXTENSION))) {
            return TraceMode.TRACE_ONLY;
        }
        if (isTrue(extension.apply(TRACE_EXTENSION)) || sampledTraceparent(extension.apply(TRACEPARENT_EXTENSION))) {
            return TraceMode.SAMPLED;
        }
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate ? TraceMode.SAMPLED : TraceMode.NONE;
    }

    private static boolean isTrue(Object value) {
        return value != null && (Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(value.toString().trim()));
    }

    /** {@code version-traceid-parentid-flags}: sampled when bit 0 of the flags is set. */
    static boolean sampledTraceparent(Object value) {
        if (value == null) {
            return false;
        }
        String[] parts = value.toString().trim().toLowerCase(Locale.ROOT).split("-");
        if (parts.length < 4 || parts[3].length() != 2) {
            return false;
        }
        try {
            return (Integer.parseInt(parts[3], 16) & 1) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
