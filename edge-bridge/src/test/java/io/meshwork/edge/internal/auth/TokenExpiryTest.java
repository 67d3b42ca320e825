package io.meshwork.edge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenExpiryTest {

    private static final Refusal EXPIRED = new Refusal(ClientError.TOKEN_EXPIRED, "authorization", "the token has expired");

    @Test
    void aConnectionIsEndedAtItsDeadlineWithTheRefusal() throws Exception {
        CompletableFuture<Refusal> ended = new CompletableFuture<>();
        Instant deadline = Instant.now().plusMillis(200);

        TokenExpiry.at(deadline, () -> EXPIRED, ended::complete);

        assertThat(ended.get(5, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(EXPIRED);
        assertThat(Instant.now()).isAfterOrEqualTo(deadline);
    }

    @Test
    void aDeadlineAlreadyPastEndsTheConnectionAtOnce() {
        AtomicInteger ended = new AtomicInteger();
        TokenExpiry.at(Instant.now().minusSeconds(60), () -> EXPIRED, refusal -> ended.incrementAndGet());
        await().atMost(Duration.ofSeconds(5)).until(() -> ended.get() == 1);
    }

    @Test
    void aConnectionThatEndedFirstIsNeverTold() {
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger later = new AtomicInteger();
        // Deadlines well ahead: the timer's class may be loaded (and logging set up) by this very call.
        TokenExpiry.Watch watch = TokenExpiry.at(Instant.now().plusMillis(1000), () -> EXPIRED, refusal -> ended.incrementAndGet());
        watch.cancel();
        // A later watch on the same single timer thread fires: the cancelled one had its turn before it.
        TokenExpiry.at(Instant.now().plusMillis(1200), () -> EXPIRED, refusal -> later.incrementAndGet());

        await().atMost(Duration.ofSeconds(5)).until(() -> later.get() == 1);
        assertThat(ended.get()).isZero();
    }
}
