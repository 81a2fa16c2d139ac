package io.duplex.core.extension;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses and writes the {@code Sec-WebSocket-Extensions} header (RFC 6455 9.1), whose grammar is RFC 7230's
 * list syntax:
 * <pre>
 * extension-list = 1#extension
 * extension      = token *( OWS ";" OWS param )
 * param          = token [ OWS "=" OWS ( token / quoted-string ) ]
 * </pre>
 * with optional whitespace (space or tab) around separators, empty list elements ({@code a, , b}) tolerated
 * as RFC 7230 7 requires, and quoted-strings unescaped ({@code \"} and {@code \\}).
 *
 * <p>Threading: stateless; all methods are safe to call from any thread.
 */
public final class ExtensionHeader {

    private ExtensionHeader() {
    }

    /**
     * Parses one header line.
     *
     * @param headerValue the field value, without the name
     * @return the extensions in header order; never empty
     * @throws ExtensionNegotiationException if the value does not match the grammar, naming the offending
     *     character and its position, or holds no extension at all
     */
    public static List<ExtensionOffer> parse(String headerValue) throws ExtensionNegotiationException {
        return parse(List.of(headerValue));
    }

    /**
     * Parses several header lines as one comma-separated list, as RFC 7230 3.2.2 allows.
     *
     * @param headerValues the field values in the order received; empty when the header is absent
     * @return the extensions in order; empty only when {@code headerValues} is empty
     * @throws ExtensionNegotiationException if a line does not match the grammar, or the lines together
     *     hold no extension
     */
    public static List<ExtensionOffer> parse(List<String> headerValues) throws ExtensionNegotiationException {
        List<ExtensionOffer> offers = new ArrayList<>();
        for (String value : headerValues) {
            new Cursor(value).parseList(offers);
        }
        // RFC 6455 9.1: extension-list = 1#extension, so a header that is present holds at least one
        if (!headerValues.isEmpty() && offers.isEmpty()) {
            throw new ExtensionNegotiationException("Sec-WebSocket-Extensions " + headerValues
                    + " holds no extension; RFC 6455 9.1 requires at least one");
        }
        return List.copyOf(offers);
    }

    /**
     * Writes extensions as one header value, e.g. {@code permessage-deflate; client_max_window_bits}.
     * Values are written as bare tokens: RFC 6455 9.1 requires every value to be a token, even a quoted
     * one, so a value that would need quoting is refused here rather than sent to a peer that must reject
     * it.
     *
     * @param offers the extensions, at least one
     * @return the header value
     * @throws IllegalArgumentException if the list is empty or a name or value is not a token
     */
    public static String format(List<ExtensionOffer> offers) {
        if (offers.isEmpty()) {
            throw new IllegalArgumentException("extension list is empty; RFC 6455 9.1 requires at least one");
        }
        StringBuilder out = new StringBuilder();
        for (ExtensionOffer offer : offers) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(requireToken("extension name", offer.name()));
            for (ExtensionParameter p : offer.parameters()) {
                out.append("; ").append(requireToken("extension parameter name", p.name()));
                if (p.value() != null) {
                    out.append('=').append(requireToken("value of extension parameter " + p.name(), p.value()));
                }
            }
        }
        return out.toString();
    }

    /**
     * Whether a string is an RFC 7230 3.2.6 token: one or more of the visible ASCII characters other than
     * delimiters ({@code "(),/:;<=>?@[\]{}}).
     *
     * @param s a string
     * @return true if it is a non-empty token
     */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a character is an RFC 7230 3.2.6 {@code tchar}.
     *
     * @param c a character
     * @return true for ALPHA, DIGIT and {@code !#$%&'*+-.^_`|~}
     */
    public static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String requireToken(String what, String value) {
        if (!isToken(value)) {
            throw new IllegalArgumentException(what + " \"" + value
                    + "\" is not a token, as RFC 6455 9.1 requires");
        }
        return value;
    }

    /** A recursive-descent reader over one header line; positions in messages are 0-based. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        void parseList(List<ExtensionOffer> out) throws ExtensionNegotiationException {
            while (true) {
                skipOws();
                if (atEnd()) {
                    return;
                }
                // RFC 7230 7: a recipient must accept and ignore empty list elements ("a, , b")
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                out.add(parseExtension());
                skipOws();
                if (atEnd()) {
                    return;
                }
                expect(',', "',' or ';' after an extension");
            }
        }

        private ExtensionOffer parseExtension() throws ExtensionNegotiationException {
            String name = token("extension name");
            List<ExtensionParameter> params = new ArrayList<>();
            skipOws();
            while (!atEnd() && peek() == ';') {
                pos++;
                skipOws();
                String paramName = token("parameter name");
                skipOws();
                String value = null;
                if (!atEnd() && peek() == '=') {
                    pos++;
                    skipOws();
                    value = atEnd() || peek() != '"' ? token("value of parameter " + paramName)
                            : quotedTokenValue(paramName);
                    skipOws();
                }
                params.add(new ExtensionParameter(paramName, value));
            }
            return new ExtensionOffer(name, params);
        }

        private String quotedTokenValue(String paramName) throws ExtensionNegotiationException {
            int start = pos;
            pos++; // opening quote
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw failure("unterminated quoted-string starting at position " + start + " in \"" + s + "\"");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c == '\\') {
                    pos++;
                    if (atEnd()) {
                        throw failure("unterminated quoted-pair at end of \"" + s + "\"");
                    }
                    c = s.charAt(pos);
                    if (!(c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF))) {
                        throw unexpected("a character that may be escaped");
                    }
                } else if (!(c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF))) {
                    throw unexpected("quoted-string text");
                }
                value.append(c);
                pos++;
            }
            // RFC 6455 9.1: a quoted parameter value must, after unescaping, be a token
            String unquoted = value.toString();
            if (!isToken(unquoted)) {
                throw failure("quoted value \"" + unquoted + "\" of parameter " + paramName
                        + " is not a token, as RFC 6455 9.1 requires");
            }
            return unquoted;
        }

        private String token(String what) throws ExtensionNegotiationException {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            if (start == pos) {
                throw unexpected(what + " (a token)");
            }
            return s.substring(start, pos);
        }

        private void expect(char c, String what) throws ExtensionNegotiationException {
            if (atEnd() || peek() != c) {
                throw unexpected(what);
            }
            pos++;
        }

        private void skipOws() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        private char peek() {
            return s.charAt(pos);
        }

        private ExtensionNegotiationException unexpected(String expected) {
            String found = atEnd() ? "end of value" : "character " + describe(peek()) + " at position " + pos;
            return failure("unexpected " + found + " in \"" + s + "\"; expected " + expected);
        }

        private static ExtensionNegotiationException failure(String message) {
            return new ExtensionNegotiationException("Sec-WebSocket-Extensions: " + message + " (RFC 6455 9.1)");
        }

        private static String describe(char c) {
            String hex = String.format("0x%02X", (int) c);
            return c > 0x20 && c < 0x7F ? "'" + c + "' (" + hex + ")" : hex;
        }
    }
}
