package io.meshwork.controlplane.internal.otlp;

import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceHop;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Maps a trace hop to an OpenTelemetry span.
 *
 * <ul>
 *   <li><b>Trace and parent</b> come from the event's W3C {@code traceparent}: every hop is a child
 *       of the publisher's span, so the hops join the publisher's own trace. Hops are reported
 *       independently by nodes in different regions and arrive in any order, so they are siblings
 *       rather than a chain that would need one hop to know another's span. An event without a
 *       valid {@code traceparent} gets a trace id derived from its event id, its hops as roots.</li>
 *   <li><b>Span ids</b> are derived from the event id and the hop (kind, region, node, link): the
 *       feed reads {@code mesh.traces} at least once, and a hop read twice is the same span.</li>
 *   <li><b>Times</b>: a PUBLISH span runs from receipt to Kafka's ack; every other hop's span runs
 *       from the previous hop to this one (the hop's latency), so the gaps show on a timeline.</li>
 * </ul>
 */
public final class HopSpans {

    /** Span attribute names; the {@code messaging.*} ones are OpenTelemetry's messaging conventions. */
    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> TOPIC = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("messaging.message.id");
    public static final AttributeKey<Long> PAYLOAD_BYTES = AttributeKey.longKey("messaging.message.body.size");
    public static final AttributeKey<String> HOP_KIND = AttributeKey.stringKey("meshwork.hop.kind");
    public static final AttributeKey<String> REGION = AttributeKey.stringKey("meshwork.region");
    public static final AttributeKey<String> NODE = AttributeKey.stringKey("meshwork.node");
    public static final AttributeKey<String> ORIGIN_REGION = AttributeKey.stringKey("meshwork.origin.region");
    public static final AttributeKey<List<String>> PATH = AttributeKey.stringArrayKey("meshwork.path");
    /** The WAN link the event came over, {@code from->to}: on ARRIVAL and transit FORWARD hops. */
    public static final AttributeKey<String> LINK = AttributeKey.stringKey("meshwork.link");
    public static final AttributeKey<Boolean> TRACE_ONLY = AttributeKey.booleanKey("meshwork.trace_only");
    /** The resource's service name: one service, each node an instance of it. */
    public static final String SERVICE_NAME = "meshwork";

    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.meshwork.traces");
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    /** The span of {@code hop}. */
    public SpanData span(TraceHop hop) {
        SpanContext publisher = publisherSpan(hop.traceparent());
        String traceId = publisher.isValid() ? publisher.getTraceId() : hex(digest("trace", hop.eventId()), 16);
        String spanId = hex(digest("span", hop.eventId(), hop.kind().name(), hop.region(), hop.broker(),
                String.valueOf(hop.fromRegion())), 8);
        SpanContext context = SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
        long atNanos = TimeUnit.MILLISECONDS.toNanos(hop.atMs());
        long latencyNanos = TimeUnit.MILLISECONDS.toNanos(hop.latencyMs());
        boolean publish = hop.kind() == HopKind.PUBLISH;
        return new HopSpan(hop.kind().name().toLowerCase(Locale.ROOT) + " " + hop.region(), kind(hop.kind()), context,
                publisher.isValid() ? publisher : SpanContext.getInvalid(),
                publish ? atNanos : atNanos - latencyNanos, publish ? atNanos + latencyNanos : atNanos, attributes(hop),
                resources.computeIfAbsent(hop.broker() + "\n" + hop.region(), key -> Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME,
                                AttributeKey.stringKey("service.instance.id"), hop.broker(), REGION, hop.region())))),
                SCOPE);
    }

    /** The publisher's span from a W3C {@code traceparent}; invalid when there is none or it is malformed. */
    static SpanContext publisherSpan(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return SpanContext.getInvalid();
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent.trim(), TRACEPARENT);
        return Span.fromContext(extracted).getSpanContext();
    }

    private static SpanKind kind(HopKind kind) {
        return switch (kind) {
            case PUBLISH, FORWARD -> SpanKind.PRODUCER;
            case ARRIVAL, DELIVERY -> SpanKind.CONSUMER;
        };
    }

    private static Attributes attributes(TraceHop hop) {
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, SERVICE_NAME)
                .put(TOPIC, hop.topic())
                .put(EVENT_ID, hop.eventId())
                .put(PAYLOAD_BYTES, (long) hop.payloadBytes())
                .put(HOP_KIND, hop.kind().name())
                .put(REGION, hop.region())
                .put(NODE, hop.broker())
                .put(ORIGIN_REGION, hop.originRegion())
                .put(PATH, hop.path());
        if (hop.fromRegion() != null) {
            attributes.put(LINK, hop.fromRegion() + "->" + hop.region());
        }
        if (hop.traceOnly()) {
            attributes.put(TRACE_ONLY, true);
        }
        return attributes.build();
    }

    private static byte[] digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes, int length) {
        String hex = HexFormat.of().formatHex(bytes, 0, length);
        // All zeros is an invalid id in OpenTelemetry; a digest that starts so is all but impossible, but costs nothing to avoid.
        return hex.chars().allMatch(c -> c == '0') ? hex.substring(0, hex.length() - 1) + "1" : hex;
    }
}
