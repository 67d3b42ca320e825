package io.meshwork.edge.internal.durable;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Turns a {@link ResumePosition} into the opaque {@code resume_token} clients hold, and back.
 *
 * <p>Layout (then base64url without padding): a version byte (1), the number of partitions as a
 * varint, each partition's next offset as a varint (Kafka's zig-zag varints, {@link ByteUtils}),
 * and the first 16 bytes of an HMAC-SHA256 over all of that. The token carries everything needed, so any edge of the region whose key is the
 * same ({@code edge.durable.token.secret}) resumes it: no state is kept between connections.
 */
final class ResumeTokens {

    static final byte VERSION = 1;
    static final String FIELD = "resume_token";
    /** Far above any real token (3 partitions take about 40 characters), far below the request limit. */
    static final int MAX_CHARS = 2048;
    private static final int MAC_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * @param secret the region's shared secret, or {@code null} to derive one from {@code region}
     *               (detects corruption and tokens from another region, not deliberate forgery)
     */
    ResumeTokens(String region, String secret) {
        byte[] material = (secret != null ? "secret:" + secret : "region:" + region).getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(material, ALGORITHM);
    }

    String encode(ResumePosition position) {
        int size = 1 + ByteUtils.sizeOfVarlong(position.partitions());
        for (int partition = 0; partition < position.partitions(); partition++) {
            size += ByteUtils.sizeOfVarlong(position.offset(partition));
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION);
        ByteUtils.writeVarlong(position.partitions(), out);
        for (int partition = 0; partition < position.partitions(); partition++) {
            ByteUtils.writeVarlong(position.offset(partition), out);
        }
        byte[] body = out.array();
        byte[] mac = mac(body);
        byte[] token = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, token, body.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * @throws Refusal {@code INVALID_RESUME_TOKEN} naming {@code resume_token}, saying whether the
     *                 token is not decodable, of another version, or fails its integrity check
     */
    ResumePosition decode(String token) {
        if (token.length() > MAX_CHARS) {
            throw malformed("longer than " + MAX_CHARS + " characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw malformed("not base64url");
        }
        if (bytes.length < 1 + 1 + MAC_BYTES) {
            throw malformed("too short");
        }
        if (bytes[0] != VERSION) {
            throw new Refusal(ClientError.INVALID_RESUME_TOKEN, FIELD, "resume_token has version " + (bytes[0] & 0xff)
                    + "; this edge reads version " + VERSION);
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(body), MAC_BYTES))) {
            throw new Refusal(ClientError.INVALID_RESUME_TOKEN, FIELD, "resume_token fails its integrity check: it was "
                    + "altered, or issued by an edge of another region or with another edge.durable.token.secret");
        }
        ByteBuffer in = ByteBuffer.wrap(body, 1, body.length - 1);
        try {
            long count = ByteUtils.readVarlong(in);
            if (count < 1 || count > 10_000) {
                throw malformed("names " + count + " partitions");
            }
            long[] offsets = new long[(int) count];
            for (int partition = 0; partition < offsets.length; partition++) {
                offsets[partition] = ByteUtils.readVarlong(in);
            }
            if (in.hasRemaining()) {
                throw malformed("has trailing bytes");
            }
            return new ResumePosition(offsets);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw malformed("truncated");
        }
    }

    private static Refusal malformed(String why) {
        return new Refusal(ClientError.INVALID_RESUME_TOKEN, FIELD, "resume_token is malformed: " + why
                + "; send a token exactly as the edge sent it on an event");
    }

    // One Mac per thread: non-durable deliveries sign a token per event on the delivery thread.
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private byte[] mac(byte[] body) {
        return macs.get().doFinal(body);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    }
}
