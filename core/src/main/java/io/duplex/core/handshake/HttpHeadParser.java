package io.duplex.core.handshake;

import io.duplex.core.Limits;
import io.duplex.core.extension.ExtensionHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An incremental, bounded parser of one HTTP/1.x head: a request head on the server, a response head on the
 * client (RFC 7230 3). Sans-I/O: the transport hands it whatever bytes arrived.
 *
 * <p>Usage: call {@link #parse(ByteBuffer)} with each chunk read until it returns a head. It consumes bytes
 * only up to and including the blank line that ends the head, so on success the buffer's position is right
 * after it and whatever follows (a first WebSocket frame sent right behind a 101, say) is left for the
 * transport. A partial head is kept inside the parser between calls, so the caller may reuse its buffer.
 * One parser reads one head; after it returns one, or throws, it refuses further input.
 *
 * <p>Bounds, from {@link Limits}, are checked byte by byte, so a peer that never ends a line is stopped the
 * moment it crosses a limit: {@code maxHandshakeSize} (the whole head, CRLFs included),
 * {@code maxHeaderLineLength} (start line or header line, without CRLF) and {@code maxHeaderCount}.
 *
 * <p>Strictness, chosen for a protocol endpoint rather than a general proxy:
 * <ul>
 *   <li>lines must end with CRLF; a bare LF or bare CR is rejected (RFC 7230 3.5 lets a recipient accept a
 *       bare LF but does not require it, and no WebSocket client sends one);</li>
 *   <li>no empty lines are skipped before the start line;</li>
 *   <li>bytes are read as ISO-8859-1, so obs-text in values survives as U+0080-U+00FF.</li>
 * </ul>
 *
 * <p>Failures are {@link HandshakeException}s. For request heads the status is the one to answer: 431 for a
 * crossed limit, 400 for anything malformed. For response heads the status is 0: nothing valid was received,
 * and a client has no one to answer.
 *
 * <p>Threading: not thread-safe; confined to the connection's owner thread.
 *
 * @param <T> {@link HttpRequestHead} or {@link HttpResponseHead}
 */
public final class HttpHeadParser<T> {

    private enum State { READING, DONE, FAILED }

    /** Turns the validated start line's three parts and the headers into a head. */
    @FunctionalInterface
    private interface Assembler<T> {
        T assemble(String[] startLine, HttpHeaders headers);
    }

    /**
     * Names and values that upgrade requests and 101 responses carry over and over, as browsers, the
     * common client libraries and this library write them. A byte-exact match shares the constant instead
     * of making a new string; any other spelling (another case, say) is kept as it was sent.
     */
    private static final String[] COMMON = {
        "GET", "HTTP/1.1", "Host", "Upgrade", "websocket", "Connection", "keep-alive, Upgrade",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
        "permessage-deflate; client_max_window_bits", "Sec-WebSocket-Accept", "Origin", "User-Agent",
        "Pragma", "no-cache", "Cache-Control", "Accept-Encoding", "gzip, deflate, br, zstd", "gzip, deflate, br",
        "Accept-Language", "Cookie", "Authorization", "X-Forwarded-For", "X-Forwarded-Proto", "Accept",
        "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "empty", "same-origin", "cross-site",
        "Server", "Date", "Content-Length", "Content-Type",
    };

    private final Limits limits;
    private final boolean requests;
    private final Assembler<T> assembler;
    // The line being read, as bytes: ISO-8859-1, so each byte is the char of the same value. Strings are
    // made only for what the head keeps (and common names and values are the shared COMMON constants), so a
    // typical upgrade request costs little more garbage than its own header values.
    private byte[] line = new byte[64];
    private int lineLength;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private State state = State.READING;
    private String[] startLine;
    private boolean sawCr;
    private int headBytes;
    private int headerCount;

    private HttpHeadParser(Limits limits, boolean requests, Assembler<T> assembler) {
        this.limits = limits;
        this.requests = requests;
        this.assembler = assembler;
    }

    /**
     * A parser for one request head, as a server reads it.
     *
     * @param limits the bounds to enforce
     * @return a new parser
     */
    public static HttpHeadParser<HttpRequestHead> forRequests(Limits limits) {
        return new HttpHeadParser<>(limits, true, (s, h) -> new HttpRequestHead(s[0], s[1], s[2], h));
    }

    /**
     * A parser for one response head, as a client reads it.
     *
     * @param limits the bounds to enforce
     * @return a new parser
     */
    public static HttpHeadParser<HttpResponseHead> forResponses(Limits limits) {
        return new HttpHeadParser<>(limits, false,
                (s, h) -> new HttpResponseHead(s[0], Integer.parseInt(s[1]), s[2], h));
    }

    /**
     * Consumes bytes up to the end of the head, or all of them if the head is not complete yet.
     *
     * @param in bytes received, read from its position; on return its position is after the last byte used
     * @return the head once its blank line has been read, otherwise empty (more bytes are needed)
     * @throws HandshakeException if the head is malformed (400) or crosses a limit (431); 0 for responses
     * @throws IllegalStateException if this parser already returned a head or failed
     */
    public Optional<T> parse(ByteBuffer in) throws HandshakeException {
        if (state != State.READING) {
            throw new IllegalStateException("parser is " + state + "; it reads exactly one head");
        }
        try {
            while (in.hasRemaining()) {
                T head = accept(in.get() & 0xFF);
                if (head != null) {
                    state = State.DONE;
                    return Optional.of(head);
                }
            }
            return Optional.empty();
        } catch (HandshakeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private T accept(int b) throws HandshakeException {
        if (++headBytes > limits.maxHandshakeSize()) {
            throw tooLarge("HTTP " + kind() + " head of more than " + limits.maxHandshakeSize()
                    + " bytes exceeds limit " + limits.maxHandshakeSize());
        }
        // RFC 7230 3: every line of the head ends with CRLF; we accept no bare CR or LF (see class comment)
        if (sawCr) {
            if (b != '\n') {
                throw malformed("CR not followed by LF at byte " + (headBytes - 1) + " of the " + kind()
                        + " head; lines must end with CRLF (RFC 7230 3)");
            }
            sawCr = false;
            return endOfLine();
        }
        if (b == '\r') {
            sawCr = true;
            return null;
        }
        if (b == '\n') {
            throw malformed("bare LF at byte " + (headBytes - 1) + " of the " + kind()
                    + " head; lines must end with CRLF (RFC 7230 3)");
        }
        if (lineLength == 0 && startLine != null && ++headerCount > limits.maxHeaderCount()) {
            throw tooLarge("HTTP " + kind() + " head with more than " + limits.maxHeaderCount()
                    + " header fields exceeds limit " + limits.maxHeaderCount());
        }
        if (lineLength == limits.maxHeaderLineLength()) {
            throw tooLarge("header line of more than " + limits.maxHeaderLineLength()
                    + " bytes exceeds limit " + limits.maxHeaderLineLength());
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, limits.maxHeaderLineLength()));
        }
        line[lineLength++] = (byte) b;
        return null;
    }

    private T endOfLine() throws HandshakeException {
        int length = lineLength;
        lineLength = 0;
        if (startLine == null) {
            startLine = requests ? requestLine(length) : statusLine(text(0, length));
            return null;
        }
        if (length == 0) {
            return assembler.assemble(startLine, headers.build());
        }
        field(length);
        return null;
    }

    /** The line's bytes from..to as a string; the shared constant when they spell a common one exactly. */
    private String text(int from, int to) {
        int length = to - from;
        for (String common : COMMON) {
            if (common.length() == length && spells(common, from)) {
                return common;
            }
        }
        return new String(line, from, length, StandardCharsets.ISO_8859_1);
    }

    private boolean spells(String common, int from) {
        for (int i = 0; i < common.length(); i++) {
            if (line[from + i] != (byte) common.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private String[] requestLine(int length) throws HandshakeException {
        // RFC 7230 3.1.1: request-line = method SP request-target SP HTTP-version
        int sp1 = indexOf((byte) ' ', 0, length);
        int sp2 = sp1 < 0 ? -1 : indexOf((byte) ' ', sp1 + 1, length);
        if (sp2 < 0 || indexOf((byte) ' ', sp2 + 1, length) >= 0) {
            throw malformed("request line " + quote(text(0, length))
                    + " is not method SP request-target SP HTTP-version (RFC 7230 3.1.1)");
        }
        String method = text(0, sp1);
        String target = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        String version = text(sp2 + 1, length);
        if (!ExtensionHeader.isToken(method)) {
            throw malformed("method " + quote(method) + " is not a token (RFC 7230 3.1.1)");
        }
        if (target.isEmpty()) {
            throw malformed("request line " + quote(method + "  " + version)
                    + " has an empty request-target (RFC 7230 3.1.1)");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw malformed("request-target " + quote(target) + " holds " + describe(c) + " at position " + i
                        + "; only visible ASCII is allowed (RFC 7230 5.3, RFC 3986)");
            }
        }
        return new String[] {method, target, checkVersion(version)};
    }

    private String[] statusLine(String text) throws HandshakeException {
        // RFC 7230 3.1.2: status-line = HTTP-version SP status-code SP reason-phrase; a missing
        // "SP reason-phrase" is tolerated, as some servers omit it
        int sp = text.indexOf(' ');
        if (sp < 0 || text.length() < sp + 4 || (text.length() > sp + 4 && text.charAt(sp + 4) != ' ')) {
            throw malformed("status line " + quote(text)
                    + " is not HTTP-version SP status-code SP reason-phrase (RFC 7230 3.1.2)");
        }
        String version = checkVersion(text.substring(0, sp));
        String status = text.substring(sp + 1, sp + 4);
        for (int i = 0; i < 3; i++) {
            if (status.charAt(i) < '0' || status.charAt(i) > '9') {
                throw malformed("status code " + quote(status) + " is not three digits (RFC 7230 3.1.2)");
            }
        }
        if (status.charAt(0) == '0') {
            throw malformed("status code " + quote(status) + " is below 100 (RFC 7231 6)");
        }
        String reason = text.length() > sp + 4 ? text.substring(sp + 5) : "";
        int bad = HttpHeaders.indexOfInvalidValueChar(reason);
        if (bad >= 0) {
            throw malformed("reason phrase holds " + describe(reason.charAt(bad)) + " at position " + bad
                    + " (RFC 7230 3.1.2)");
        }
        return new String[] {version, status, reason};
    }

    private String checkVersion(String version) throws HandshakeException {
        // RFC 7230 2.6: HTTP-version = "HTTP/" DIGIT "." DIGIT; only major version 1 has this syntax of head
        if (version.length() != 8 || !version.startsWith("HTTP/1.") || version.charAt(7) < '0'
                || version.charAt(7) > '9') {
            throw malformed("HTTP version " + quote(version) + " is not HTTP/1.x (RFC 7230 2.6)");
        }
        return version;
    }

    private void field(int length) throws HandshakeException {
        // RFC 7230 3.2.4: obs-fold (a line starting with whitespace) is rejected with 400 by a server
        if (line[0] == ' ' || line[0] == '\t') {
            throw malformed("header line " + quote(text(0, length))
                    + " starts with whitespace (obs-fold), which RFC 7230 3.2.4 says to reject");
        }
        int colon = indexOf((byte) ':', 0, length);
        if (colon < 0) {
            throw malformed("header line " + quote(text(0, length)) + " has no colon (RFC 7230 3.2)");
        }
        // RFC 7230 3.2.4: whitespace between field-name and colon must be rejected with 400
        byte last = colon == 0 ? (byte) 'x' : line[colon - 1];
        if (last == ' ' || last == '\t') {
            throw malformed("whitespace between header name " + quote(text(0, colon).strip())
                    + " and colon, which RFC 7230 3.2.4 says to reject");
        }
        if (colon == 0) {
            throw malformed("header line " + quote(text(0, length)) + " has an empty name (RFC 7230 3.2)");
        }
        for (int i = 0; i < colon; i++) {
            if (!ExtensionHeader.isTokenChar((char) (line[i] & 0xFF))) {
                throw malformed("header name " + quote(text(0, colon)) + " holds "
                        + describe((char) (line[i] & 0xFF)) + " at position " + i + "; names are tokens (RFC 7230 3.2)");
            }
        }
        int start = colon + 1;
        int end = length;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        // RFC 7230 3.2: field-value is VCHAR, SP, HTAB and obs-text; no other control characters
        for (int i = start; i < end; i++) {
            int c = line[i] & 0xFF;
            if (!(c == '\t' || (c >= 0x20 && c != 0x7F))) {
                throw malformed("value of header " + text(0, colon) + " holds control character "
                        + describe((char) c) + " at position " + (i - start) + " (RFC 7230 3.2)");
            }
        }
        headers.add(text(0, colon), text(start, end));
    }

    private String kind() {
        return requests ? "request" : "response";
    }

    private HandshakeException tooLarge(String message) {
        return new HandshakeException(requests ? 431 : 0, message);
    }

    private HandshakeException malformed(String message) {
        return new HandshakeException(requests ? 400 : 0, message);
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"";
    }

    static String describe(char c) {
        String hex = String.format("0x%02X", (int) c);
        return c > 0x20 && c < 0x7F ? "'" + c + "' (" + hex + ")" : hex;
    }
}
