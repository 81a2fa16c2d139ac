package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpHeadParserTest {

    private static final String REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    /** An unmasked text frame "Hi" that a server may send right behind its 101. */
    private static final byte[] FRAME = {(byte) 0x81, 0x02, 'H', 'i'};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static HttpRequestHead request(String head) throws HandshakeException {
        return HttpHeadParser.forRequests(Limits.DEFAULT).parse(ByteBuffer.wrap(bytes(head))).orElseThrow();
    }

    private static HandshakeException requestFailure(Limits limits, String head) {
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(limits);
        try {
            Optional<HttpRequestHead> parsed = parser.parse(ByteBuffer.wrap(bytes(head)));
            throw new AssertionError("expected a failure, got " + parsed);
        } catch (HandshakeException e) {
            return e;
        }
    }

    private static HandshakeException requestFailure(String head) {
        return requestFailure(Limits.DEFAULT, head);
    }

    /**
     * Feeds {@code input} in the given pieces, each through a fresh buffer so the parser cannot rely on the
     * caller's buffer between calls, and returns the head and what was left unread after it.
     */
    private static <T> T feed(HttpHeadParser<T> parser, byte[] input, int[] cuts, ByteBuffer leftover)
            throws HandshakeException {
        int start = 0;
        T head = null;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : input.length;
            ByteBuffer piece = ByteBuffer.wrap(input.clone(), start, end - start);
            if (head == null) {
                Optional<T> result = parser.parse(piece);
                if (result.isPresent()) {
                    head = result.get();
                }
            }
            leftover.put(piece);
            start = end;
        }
        leftover.flip();
        return head;
    }

    @Test
    void parsesRequestHeadAndKeepsHeaderOrder() throws Exception {
        HttpRequestHead head = request(REQUEST);

        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/chat?room=1");
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.headers().size()).isEqualTo(7);
        assertThat(head.headers().fields().get(0)).isEqualTo(new HttpHeaders.Field("Host", "server.example.com"));
        assertThat(head.headers().tokens("sec-websocket-protocol")).containsExactly("chat", "superchat");
    }

    @Test
    void parserGivesTheSameRequestForEverySplitAndLeavesFrameBytes() throws Exception {
        byte[] input = concat(bytes(REQUEST), FRAME);
        HttpRequestHead expected = request(REQUEST);
        for (int cut = 0; cut <= input.length; cut++) {
            ByteBuffer leftover = ByteBuffer.allocate(input.length);
            HttpRequestHead head = feed(HttpHeadParser.forRequests(Limits.DEFAULT), input, new int[] {cut}, leftover);

            assertThat(head).as("split at %d", cut).isEqualTo(expected);
            assertThat(leftover).as("split at %d", cut).isEqualTo(ByteBuffer.wrap(FRAME));
        }
    }

    @Test
    void parserGivesTheSameResponseForEverySplitAndLeavesFrameBytes() throws Exception {
        byte[] input = concat(bytes(RESPONSE), FRAME);
        HttpResponseHead expected = HttpHeadParser.forResponses(Limits.DEFAULT)
                .parse(ByteBuffer.wrap(bytes(RESPONSE))).orElseThrow();
        assertThat(expected.status()).isEqualTo(101);
        assertThat(expected.reason()).isEqualTo("Switching Protocols");
        for (int cut = 0; cut <= input.length; cut++) {
            ByteBuffer leftover = ByteBuffer.allocate(input.length);
            HttpResponseHead head = feed(HttpHeadParser.forResponses(Limits.DEFAULT), input, new int[] {cut}, leftover);

            assertThat(head).as("split at %d", cut).isEqualTo(expected);
            assertThat(leftover).as("split at %d", cut).isEqualTo(ByteBuffer.wrap(FRAME));
        }
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    @Test
    void parserGivesTheSameRequestFedOneByteAtATime() throws Exception {
        byte[] input = concat(bytes(REQUEST), FRAME);
        ByteBuffer leftover = ByteBuffer.allocate(input.length);

        HttpRequestHead head = feed(HttpHeadParser.forRequests(Limits.DEFAULT), input, everyByte(input.length), leftover);

        assertThat(head).isEqualTo(request(REQUEST));
        assertThat(leftover).isEqualTo(ByteBuffer.wrap(FRAME));
    }

    @Test
    void parserGivesTheSameResponseFedOneByteAtATime() throws Exception {
        byte[] input = concat(bytes(RESPONSE), FRAME);
        ByteBuffer leftover = ByteBuffer.allocate(input.length);

        HttpResponseHead head = feed(HttpHeadParser.forResponses(Limits.DEFAULT), input, everyByte(input.length), leftover);

        assertThat(head).isEqualTo(HttpHeadParser.forResponses(Limits.DEFAULT)
                .parse(ByteBuffer.wrap(bytes(RESPONSE))).orElseThrow());
        assertThat(head.headers().first("Sec-WebSocket-Protocol")).contains("chat");
        assertThat(leftover).isEqualTo(ByteBuffer.wrap(FRAME));
    }

    @Test
    void parserReturnsEmptyUntilTheBlankLine() throws Exception {
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(Limits.DEFAULT);
        ByteBuffer partial = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\n"));

        assertThat(parser.parse(partial)).isEmpty();
        assertThat(partial.hasRemaining()).isFalse();
        assertThat(parser.parse(ByteBuffer.wrap(bytes("\r\n")))).isPresent();
    }

    @Test
    void parserRefusesInputAfterTheHeadOrAFailure() throws Exception {
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(Limits.DEFAULT);
        parser.parse(ByteBuffer.wrap(bytes(REQUEST)));
        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(FRAME))).isInstanceOf(IllegalStateException.class);

        HttpHeadParser<HttpRequestHead> failed = HttpHeadParser.forRequests(Limits.DEFAULT);
        assertThatThrownBy(() -> failed.parse(ByteBuffer.wrap(bytes("GET\r\n")))).isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> failed.parse(ByteBuffer.wrap(bytes(REQUEST)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void parserReports431WhenHeadExceedsLimit() {
        Limits limits = Limits.DEFAULT.withMaxHandshakeSize(40);
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(limits);
        ByteBuffer input = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(100)));

        assertThatThrownBy(() -> parser.parse(input))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("HTTP request head of more than 40 bytes exceeds limit 40")
                .extracting(e -> ((HandshakeException) e).status()).isEqualTo(431);
        assertThat(input.position()).as("stops at the byte that crosses the limit").isEqualTo(41);
    }

    @Test
    void parserReports431WhenLineExceedsLimitBeforeItEnds() {
        Limits limits = Limits.DEFAULT.withMaxHeaderLineLength(20);
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(limits);
        ByteBuffer input = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nX-Long: " + "y".repeat(50)));

        assertThatThrownBy(() -> parser.parse(input))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("header line of more than 20 bytes exceeds limit 20")
                .extracting(e -> ((HandshakeException) e).status()).isEqualTo(431);
        assertThat(input.position()).isEqualTo(16 + 21);
    }

    @Test
    void parserAcceptsLineOfExactlyTheLimit() throws Exception {
        Limits limits = Limits.DEFAULT.withMaxHeaderLineLength(14);
        String head = "GET / HTTP/1.1\r\nX: 0123456789a\r\n\r\n";
        assertThat(HttpHeadParser.forRequests(limits).parse(ByteBuffer.wrap(bytes(head)))).isPresent();
        Limits exact = Limits.DEFAULT.withMaxHandshakeSize(head.length());
        assertThat(HttpHeadParser.forRequests(exact).parse(ByteBuffer.wrap(bytes(head)))).isPresent();
    }

    @Test
    void parserReports431WhenHeaderCountExceedsLimit() {
        HandshakeException e = requestFailure(Limits.DEFAULT.withMaxHeaderCount(2),
                "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC");

        assertThat(e.status()).isEqualTo(431);
        assertThat(e).hasMessage("HTTP request head with more than 2 header fields exceeds limit 2");
    }

    @Test
    void responseParserReportsLimitsWithStatusZero() {
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(Limits.DEFAULT.withMaxHandshakeSize(10));

        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes(RESPONSE))))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("HTTP response head of more than 10 bytes exceeds limit 10")
                .extracting(e -> ((HandshakeException) e).status()).isEqualTo(0);
    }

    @Test
    void parserRejectsBareLf() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\nHost: a\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("bare LF at byte 14").hasMessageContaining("CRLF");
    }

    @Test
    void parserRejectsCrNotFollowedByLf() {
        assertThat(requestFailure("GET / HTTP/1.1\rHost: a\r\n\r\n"))
                .hasMessageContaining("CR not followed by LF at byte 15");
    }

    @Test
    void parserRejectsObsFold() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX: a\r\n  b\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("obs-fold").hasMessageContaining("RFC 7230 3.2.4");
    }

    @Test
    void parserRejectsWhitespaceBeforeColon() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("whitespace between header name \"Host\" and colon")
                .hasMessageContaining("RFC 7230 3.2.4");
    }

    @Test
    void parserRejectsHeaderNameThatIsNotAToken() {
        assertThat(requestFailure("GET / HTTP/1.1\r\nX(y): a\r\n\r\n"))
                .hasMessageContaining("header name \"X(y)\" holds '(' (0x28) at position 1");
        assertThat(requestFailure("GET / HTTP/1.1\r\n: a\r\n\r\n")).hasMessageContaining("empty name");
        assertThat(requestFailure("GET / HTTP/1.1\r\nNoColon\r\n\r\n")).hasMessageContaining("has no colon");
    }

    @Test
    void parserRejectsControlCharacterInValue() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("value of header X holds control character 0x00 at position 1");
    }

    @Test
    void parserTrimsValueWhitespaceAndKeepsObsTextAsLatin1() throws Exception {
        HttpRequestHead head = request("GET / HTTP/1.1\r\nX:\t caf\u00e9 \t\r\nEmpty:\r\n\r\n");
        assertThat(head.headers().first("x")).contains("caf\u00e9");
        assertThat(head.headers().first("EMPTY")).contains("");
    }

    @Test
    void parserSharesCommonNamesAndValuesButKeepsOtherSpellingsAsSent() throws Exception {
        HttpRequestHead head = request("GET / HTTP/1.1\r\nUpgrade: websocket\r\nupgrade: WebSocket\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        List<HttpHeaders.Field> fields = head.headers().fields();

        assertThat(head.method()).isSameAs("GET");
        assertThat(head.version()).isSameAs("HTTP/1.1");
        assertThat(fields.get(0).name()).isSameAs("Upgrade");
        assertThat(fields.get(0).value()).isSameAs("websocket");
        assertThat(fields.get(1).name()).isEqualTo("upgrade");
        assertThat(fields.get(1).value()).isEqualTo("WebSocket");
        assertThat(fields.get(2).value()).isSameAs("13");
    }

    @Test
    void parserReadsHeaderLinesLongerThanItsFirstLineBuffer() throws Exception {
        String value = "v".repeat(1000);
        HttpRequestHead head = request("GET /" + "p".repeat(300) + " HTTP/1.1\r\nX-Long: " + value + "\r\n\r\n");

        assertThat(head.target()).hasSize(301);
        assertThat(head.headers().first("X-Long")).contains(value);
    }

    @Test
    void parserRejectsMalformedRequestLine() {
        assertThat(requestFailure("GET /  HTTP/1.1\r\n\r\n")).hasMessageContaining("is not method SP request-target");
        assertThat(requestFailure("GET /\r\n\r\n")).hasMessageContaining("is not method SP request-target");
        assertThat(requestFailure("\r\n")).hasMessageContaining("request line \"\"");
        assertThat(requestFailure("GET / HTTP/1.1 x\r\n\r\n").status()).isEqualTo(400);
        assertThat(requestFailure("GET /caf\u00e9 HTTP/1.1\r\n\r\n"))
                .hasMessageContaining("holds 0xE9 at position 4");
    }

    @Test
    void parserRejectsMethodThatIsNotAToken() {
        HandshakeException e = requestFailure("G@T / HTTP/1.1\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("method \"G@T\" is not a token");
    }

    @Test
    void parserRejectsHttpVersionOtherThan1x() {
        assertThat(requestFailure("GET / HTTP/2.0\r\n\r\n"))
                .hasMessageContaining("HTTP version \"HTTP/2.0\" is not HTTP/1.x");
        assertThat(requestFailure("GET / http/1.1\r\n\r\n")).hasMessageContaining("\"http/1.1\"");
        assertThat(requestFailure("GET / HTTP/1.10\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void parserAcceptsHttp10RequestLineForTheHandshakeToJudge() throws Exception {
        assertThat(request("GET / HTTP/1.0\r\n\r\n").version()).isEqualTo("HTTP/1.0");
    }

    @Test
    void responseParserAcceptsStatusLineWithoutReason() throws Exception {
        HttpResponseHead head = HttpHeadParser.forResponses(Limits.DEFAULT)
                .parse(ByteBuffer.wrap(bytes("HTTP/1.1 101\r\n\r\n"))).orElseThrow();
        assertThat(head.status()).isEqualTo(101);
        assertThat(head.reason()).isEmpty();
    }

    @Test
    void responseParserRejectsMalformedStatusLine() {
        for (String line : new String[] {"HTTP/1.1 1O1 OK", "HTTP/1.1 10", "HTTP/1.1 1011 x", "HTTP/1.1 099 x",
                                         "HTTP/1.1", "HTTP/3 101 x", "HTTP/1.1 101 a\u0001"}) {
            HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(Limits.DEFAULT);
            assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes(line + "\r\n\r\n"))))
                    .as(line)
                    .isInstanceOf(HandshakeException.class)
                    .extracting(e -> ((HandshakeException) e).status()).isEqualTo(0);
        }
    }
}
