package io.duplex.client.internal;

import io.duplex.client.DOMException;
import io.duplex.core.extension.ExtensionHeader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The argument checks of the WebSockets Standard's constructor and {@code close()}, throwing the
 * {@link DOMException}s the standard names.
 *
 * <p>Threading: stateless.
 */
public final class Arguments {

    private Arguments() {
    }

    /**
     * {@code new WebSocket(url, protocols)} steps 1-7: parse the URL.
     *
     * @param url the URL as given
     * @return the parsed URL
     * @throws DOMException "SyntaxError" if it does not parse, is not ws/wss/http/https, or has a fragment
     */
    public static WebSocketUrl url(String url) {
        if (url == null) {
            throw DOMException.syntaxError("URL is null");
        }
        try {
            return WebSocketUrl.parse(url);
        } catch (WebSocketUrl.InvalidUrlException e) {
            throw DOMException.syntaxError(e.getMessage());
        }
    }

    /**
     * {@code new WebSocket(url, protocols)} step 9: each protocol must be a token (the value syntax of
     * Sec-WebSocket-Protocol, RFC 6455 4.1 and 11.3.4: RFC 7230 tchar, U+0021-U+007E minus separators),
     * and none may occur twice; duplicates are compared case-insensitively, as browsers do.
     *
     * @param protocols the protocols as given; null means none
     * @return them as a list
     * @throws DOMException "SyntaxError" naming the first offending protocol
     */
    public static List<String> protocols(String... protocols) {
        if (protocols == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String protocol : protocols) {
            if (protocol == null || !ExtensionHeader.isToken(protocol)) {
                throw DOMException.syntaxError("protocol \"" + protocol + "\" is not a token (RFC 6455 4.1: "
                        + "U+0021-U+007E without separators, non-empty)");
            }
            if (!seen.add(protocol.toLowerCase(Locale.ROOT))) {
                throw DOMException.syntaxError("protocol \"" + protocol + "\" is given twice");
            }
        }
        return List.of(protocols);
    }

    /**
     * {@code close(code, reason)} step 1: a code must be 1000 or in 3000-4999.
     *
     * @param code the code given
     * @throws DOMException "InvalidAccessError" otherwise
     */
    public static void closeCode(int code) {
        if (code != 1000 && (code < 3000 || code > 4999)) {
            throw DOMException.invalidAccessError("close code " + code
                    + " is neither 1000 nor in 3000-4999 (WebSockets Standard, close() step 1)");
        }
    }

    /**
     * {@code close(code, reason)} step 2: the reason's UTF-8 encoding (lone surrogates as U+FFFD, as the
     * USVString conversion does) must be at most 123 bytes.
     *
     * @param reason the reason given
     * @throws DOMException "SyntaxError" if it is longer
     */
    public static void closeReason(String reason) {
        if (reason == null) {
            return;
        }
        int bytes = usvString(reason).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 123) {
            throw DOMException.syntaxError("close reason of " + bytes
                    + " UTF-8 bytes exceeds 123 (WebSockets Standard, close() step 2)");
        }
    }

    /**
     * WebIDL's USVString conversion: lone surrogates become U+FFFD.
     *
     * @param s a string
     * @return it with lone surrogates replaced
     */
    public static String usvString(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
