package io.duplex.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionNegotiatorTest {

    private final FakeExtensionFactory alpha = FakeExtensionFactory.of("alpha", Extension.RSV1);
    private final FakeExtensionFactory beta = FakeExtensionFactory.of("beta", Extension.RSV2);
    private final FakeExtensionFactory gamma = FakeExtensionFactory.of("gamma", Extension.RSV1 | Extension.RSV3);

    private static ExtensionOffer offer(String name, String... flags) {
        return new ExtensionOffer(name, java.util.Arrays.stream(flags).map(ExtensionParameter::of).toList());
    }

    @Test
    void serverAcceptsKnownExtensionsInClientOrder() {
        List<Extension> accepted = ExtensionNegotiator.negotiateServer(
                List.of(offer("beta"), offer("unknown"), offer("alpha")), List.of(alpha, beta));

        assertThat(accepted).extracting(Extension::name).containsExactly("beta", "alpha");
    }

    @Test
    void serverTriesNextOfferWhenFactoryDeclines() {
        List<Extension> accepted = ExtensionNegotiator.negotiateServer(
                List.of(offer("alpha", "decline"), offer("alpha", "second")), List.of(alpha));

        assertThat(accepted).singleElement().extracting(Extension::negotiated).isEqualTo(offer("alpha", "second"));
    }

    @Test
    void serverSkipsLaterOffersOfAnAcceptedExtension() {
        List<Extension> accepted = ExtensionNegotiator.negotiateServer(
                List.of(offer("alpha", "first"), offer("alpha", "second")), List.of(alpha));

        assertThat(accepted).singleElement().extracting(Extension::negotiated).isEqualTo(offer("alpha", "first"));
    }

    @Test
    void serverDropsAndReleasesExtensionWhoseReservedBitsOverlap() {
        List<Extension> accepted = ExtensionNegotiator.negotiateServer(
                List.of(offer("alpha"), offer("gamma"), offer("beta")), List.of(alpha, beta, gamma));

        assertThat(accepted).extracting(Extension::name).containsExactly("alpha", "beta");
        assertThat(gamma.releasedCount()).isEqualTo(1);
        assertThat(alpha.releasedCount()).isZero();
    }

    @Test
    void serverMatchesExtensionNamesCaseInsensitively() {
        assertThat(ExtensionNegotiator.negotiateServer(List.of(offer("ALPHA")), List.of(alpha))).hasSize(1);
    }

    @Test
    void serverAcceptsNothingWithoutOffers() {
        assertThat(ExtensionNegotiator.negotiateServer(List.of(), List.of(alpha))).isEmpty();
    }

    @Test
    void clientAcceptsExtensionsItOfferedInServerOrder() throws Exception {
        List<Extension> accepted = ExtensionNegotiator.negotiateClient(
                List.of(offer("beta"), offer("Alpha")), List.of(alpha, beta));

        assertThat(accepted).extracting(Extension::name).containsExactly("beta", "alpha");
    }

    @Test
    void clientRejectsExtensionNotOffered() {
        assertThatThrownBy(() -> ExtensionNegotiator.negotiateClient(
                List.of(offer("alpha"), offer("zeta")), List.of(alpha)))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("\"zeta\"").hasMessageContaining("did not offer")
                .hasMessageContaining("RFC 6455 4.1");
        assertThat(alpha.releasedCount()).isEqualTo(1);
    }

    @Test
    void clientRejectsExtensionAcceptedTwice() {
        assertThatThrownBy(() -> ExtensionNegotiator.negotiateClient(
                List.of(offer("alpha"), offer("alpha")), List.of(alpha)))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("more than once");
    }

    @Test
    void clientRejectsExtensionsWhoseReservedBitsOverlap() {
        assertThatThrownBy(() -> ExtensionNegotiator.negotiateClient(
                List.of(offer("alpha"), offer("gamma")), List.of(alpha, gamma)))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("\"gamma\"").hasMessageContaining("RSV bits 101");
        assertThat(alpha.releasedCount()).isEqualTo(1);
        assertThat(gamma.releasedCount()).isEqualTo(1);
    }

    @Test
    void clientRejectsParametersItsFactoryRefuses() {
        assertThatThrownBy(() -> ExtensionNegotiator.negotiateClient(
                List.of(offer("beta"), offer("alpha", "refuse")), List.of(alpha, beta)))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("refuse");
        assertThat(beta.releasedCount()).isEqualTo(1);
    }
}
