package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The documented defaults and the copy-with methods. */
class LimitsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(Limits.DEFAULT).isEqualTo(new Limits(1 << 20, 1 << 20, 8192, 8192, 100));
    }

    @Test
    void withMethodsChangeOneLimit() {
        Limits limits = Limits.DEFAULT.withMaxPayload(5).withMaxHandshakeSize(6).withMaxHeaderLineLength(7).withMaxHeaderCount(8);
        assertThat(limits).isEqualTo(new Limits(5, 5, 6, 7, 8));
        assertThat(Limits.DEFAULT.withMaxFramePayload(3).maxMessageSize()).isEqualTo(1 << 20);
        assertThat(Limits.DEFAULT.withMaxMessageSize(3).maxFramePayload()).isEqualTo(1 << 20);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> Limits.DEFAULT.withMaxMessageSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMessageSize of 0 must be positive");
    }
}
