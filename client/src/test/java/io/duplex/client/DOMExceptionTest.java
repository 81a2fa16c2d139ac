package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DOMExceptionTest {

    @Test
    void namesAndLegacyCodes() {
        assertThat(DOMException.syntaxError("x").name()).isEqualTo("SyntaxError");
        assertThat(DOMException.syntaxError("x").code()).isEqualTo(12);
        assertThat(DOMException.invalidAccessError("x").name()).isEqualTo("InvalidAccessError");
        assertThat(DOMException.invalidAccessError("x").code()).isEqualTo(15);
        assertThat(DOMException.invalidStateError("x").name()).isEqualTo("InvalidStateError");
        assertThat(DOMException.invalidStateError("x").code()).isEqualTo(11);
        assertThat(new DOMException("m", "NotAName").code()).isZero();
        assertThat(new DOMException("m", null).name()).isEqualTo("Error");
    }

    @Test
    void isUncheckedAndCarriesTheMessage() {
        RuntimeException e = DOMException.syntaxError("URL \"x\" has no scheme");
        assertThat(e).hasMessage("URL \"x\" has no scheme");
        assertThat(e.toString()).isEqualTo("DOMException SyntaxError: URL \"x\" has no scheme");
    }
}
