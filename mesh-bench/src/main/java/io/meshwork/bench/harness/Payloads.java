package io.meshwork.bench.harness;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Benchmark payloads: JSON of an exact size that carries the time the event was scheduled for
 * ({@code System.nanoTime()}), so latency is measured on one clock in one JVM.
 */
public final class Payloads {

    private static final byte[] MARK = "{\"t\":".getBytes(StandardCharsets.US_ASCII);

    private Payloads() {
    }

    /** {@code {"t":<nanos>,"n":<seq>,"pad":"xxx..."}} padded to exactly {@code size} bytes. */
    public static byte[] timed(long nanos, long sequence, int size) {
        String head = "{\"t\":" + nanos + ",\"n\":" + sequence + ",\"pad\":\"";
        int pad = size - head.length() - 2;
        if (pad < 0) {
            throw new IllegalArgumentException("payload size " + size + " too small for " + head);
        }
        byte[] bytes = new byte[size];
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        Arrays.fill(bytes, headBytes.length, headBytes.length + pad, (byte) 'x');
        bytes[size - 2] = '"';
        bytes[size - 1] = '}';
        return bytes;
    }

    /** The time a {@link #timed} payload carries, or -1 if it is not one. */
    public static long timeOf(byte[] payload) {
        if (payload.length < MARK.length || !Arrays.equals(payload, 0, MARK.length, MARK, 0, MARK.length)) {
            return -1;
        }
        long value = 0;
        boolean negative = false;
        int i = MARK.length;
        if (i < payload.length && payload[i] == '-') {
            negative = true;
            i++;
        }
        int digits = 0;
        for (; i < payload.length && payload[i] >= '0' && payload[i] <= '9'; i++, digits++) {
            value = value * 10 + (payload[i] - '0');
        }
        return digits == 0 ? -1 : negative ? -value : value;
    }
}
