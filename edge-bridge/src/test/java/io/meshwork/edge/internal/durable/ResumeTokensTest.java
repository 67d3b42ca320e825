package io.meshwork.edge.internal.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ResumeTokensTest {

    private final ResumeTokens tokens = new ResumeTokens("us-east-1", null);

    @Test
    void aTokenDecodesToThePositionItWasMadeFrom() {
        ResumePosition position = new ResumePosition(new long[] {0, 17, 1L << 40});

        String token = tokens.encode(position);

        assertThat(tokens.decode(token)).isEqualTo(position);
        assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThan(64);
    }

    @Test
    void anotherEdgeOfTheRegionWithTheSameKeyReadsTheToken() {
        ResumeTokens secret = new ResumeTokens("us-east-1", "a-shared-secret-of-the-region");
        String token = secret.encode(new ResumePosition(new long[] {3, 4, 5}));

        assertThat(new ResumeTokens("us-east-1", "a-shared-secret-of-the-region").decode(token).offsets())
                .containsExactly(3, 4, 5);
    }

    @Test
    void aTamperedTokenFailsItsIntegrityCheck() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.encode(new ResumePosition(new long[] {5, 6, 7})));
        bytes[2] ^= 1; // partition 0 now resumes elsewhere
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertRefused(tampered, "integrity check");
    }

    @Test
    void aTokenOfAnotherRegionOrSecretFailsItsIntegrityCheck() {
        String token = tokens.encode(new ResumePosition(new long[] {1, 2, 3}));

        assertRefused(token, "integrity check", new ResumeTokens("eu-west-1", null));
        assertRefused(token, "integrity check", new ResumeTokens("us-east-1", "a-shared-secret-of-the-region"));
    }

    @Test
    void aTokenOfAnotherVersionIsRefusedNamingTheVersion() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.encode(new ResumePosition(new long[] {1})));
        bytes[0] = 2;

        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), "version 2");
    }

    @Test
    void textThatIsNoTokenIsMalformed() {
        assertRefused("not a token!", "malformed: not base64url");
        assertRefused("AQ", "malformed: too short");
        assertRefused("A".repeat(ResumeTokens.MAX_CHARS + 1), "malformed: longer than");
    }

    private void assertRefused(String token, String message) {
        assertRefused(token, message, tokens);
    }

    private static void assertRefused(String token, String message, ResumeTokens reader) {
        assertThatThrownBy(() -> reader.decode(token))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.error()).isEqualTo(ClientError.INVALID_RESUME_TOKEN);
                    assertThat(refusal.field()).isEqualTo("resume_token");
                })
                .hasMessageContaining(message);
    }
}
