package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The failure funnel's exception: only failure codes, and no internal detail on the wire. */
class ProtocolExceptionTest {

    @Test
    void carriesCodeAndMessageButPutsOnlyTheCodeNameOnTheWire() {
        ProtocolException e = ProtocolException.tooBig("frame of 131072 bytes exceeds limit 65536");
        assertThat(e.closeCode()).isEqualTo(1009);
        assertThat(e).hasMessage("frame of 131072 bytes exceeds limit 65536");
        assertThat(e.wireReason()).isEqualTo("message too big");
    }

    @Test
    void onlyFailureCodesAreAccepted() {
        assertThatThrownBy(() -> new ProtocolException(1000, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProtocolException.protocolError("x").closeCode()).isEqualTo(1002);
        assertThat(ProtocolException.invalidPayload("x").closeCode()).isEqualTo(1007);
        assertThat(new ProtocolException(1010, "x").closeCode()).isEqualTo(1010);
        assertThat(new ProtocolException(1011, "x").closeCode()).isEqualTo(1011);
    }

    @Test
    void stateExceptionIsNotAProtocolException() {
        Object misuse = new WebSocketStateException("x");
        assertThat(misuse).isInstanceOf(IllegalStateException.class).isNotInstanceOf(ProtocolException.class);
    }
}
