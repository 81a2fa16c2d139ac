package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.Limits;
import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionFactory;
import io.duplex.core.extension.ExtensionNegotiator;
import io.duplex.core.extension.ExtensionOffer;
import io.duplex.core.extension.ExtensionParameter;
import io.duplex.core.extension.FakeExtensionFactory;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client and server sides meet through the parser, as they do over a socket. */
class HandshakeRoundTripTest {

    @Test
    void clientAndServerAgreeOnSubprotocolAndExtensionsThroughTheParser() throws Exception {
        FakeExtensionFactory clientFactory = new FakeExtensionFactory("x-fake", Extension.RSV1, List.of(
                ExtensionOffer.of("x-fake", ExtensionParameter.of("decline")),
                ExtensionOffer.of("x-fake", new ExtensionParameter("level", "9"))));
        ExtensionFactory serverFactory = FakeExtensionFactory.of("x-fake", Extension.RSV1);
        ClientHandshake client = ClientHandshake.builder().host("::1").port(8443).secure(true)
                .resource("/chat?room=1").origin("https://example.com")
                .subprotocols(List.of("v2.chat", "v1.chat")).extensions(List.of(clientFactory)).build();

        HttpRequestHead requestHead = HttpHeadParser.forRequests(Limits.DEFAULT).parse(client.request()).orElseThrow();
        ServerHandshake.Request request = ServerHandshake.validateRequest(requestHead);
        List<Extension> serverExtensions = ExtensionNegotiator.negotiateServer(
                request.extensionOffers(), List.of(serverFactory));
        ByteBuffer responseBytes = ServerHandshake.acceptResponse(request, request.subprotocols().get(1),
                serverExtensions, HttpHeaders.of("Set-Cookie", "session=abc"));
        HttpResponseHead responseHead = HttpHeadParser.forResponses(Limits.DEFAULT).parse(responseBytes).orElseThrow();
        ClientHandshake.Result result = client.validateResponse(responseHead);

        assertThat(requestHead.path()).isEqualTo("/chat");
        assertThat(requestHead.headers().first("Host")).contains("[::1]:8443");
        assertThat(request.origin()).contains("https://example.com");
        assertThat(request.key()).isEqualTo(client.key());
        assertThat(result.subprotocol()).isEqualTo("v1.chat");
        assertThat(result.extensions()).singleElement().extracting(Extension::negotiated)
                .isEqualTo(ExtensionOffer.of("x-fake", new ExtensionParameter("level", "9")));
        assertThat(result.response().headers().first("set-cookie")).contains("session=abc");
        assertThat(responseBytes.hasRemaining()).isFalse();
    }
}
