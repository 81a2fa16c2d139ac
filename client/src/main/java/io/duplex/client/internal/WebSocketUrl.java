package io.duplex.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A WebSocket URL: the result of the WHATWG WebSockets Standard's {@code new WebSocket(url, protocols)}
 * steps 1-7, which parse with the WHATWG URL Standard's basic URL parser (no base URL: Java has no
 * document) and keep only ws and wss URLs without a fragment.
 *
 * <p>The parser implements the URL Standard's state machine for special schemes, which is all a WebSocket
 * URL can be: scheme, "special authority slashes" (any run of '/' and '\'), authority with userinfo,
 * host (see {@link HostParser}), port (default port elided), path with "." and ".." segments resolved,
 * query; each part percent-encoded with its own encode set. It is stricter than {@link java.net.URI} where
 * browsers are (no spaces in hosts, ports up to 65535) and looser where they are (backslashes, tabs and
 * newlines removed, "ws:example.com").
 *
 * <p>Threading: immutable.
 *
 * @param scheme "ws" or "wss"
 * @param username the percent-encoded username, or ""
 * @param password the percent-encoded password, or ""
 * @param host the serialized host: a domain, a dotted IPv4 address or a bracketed IPv6 address
 * @param port the port, or -1 for the scheme's default (80 for ws, 443 for wss)
 * @param path the serialized path, starting with '/'
 * @param query the percent-encoded query without '?', or null for none
 */
public record WebSocketUrl(String scheme, String username, String password, String host, int port, String path,
                           String query) {

    /** Why a URL was refused; the caller turns it into a DOMException "SyntaxError". */
    public static final class InvalidUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidUrlException(String message) {
            super(message);
        }
    }

    /**
     * The WebSockets Standard, {@code new WebSocket(url)} steps 2-7.
     *
     * @param url the URL as given
     * @return the parsed URL, with http mapped to ws and https to wss
     * @throws InvalidUrlException if the URL does not parse, has another scheme, or has a fragment
     */
    public static WebSocketUrl parse(String url) throws InvalidUrlException {
        // Step 2: parse with the URL parser; step 3: failure is a SyntaxError
        Parsed p = new Parser(url).run();
        String scheme = switch (p.scheme) {
            // Steps 4-5: http becomes ws, https becomes wss
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            // Step 6: any other scheme is a SyntaxError
            default -> throw new InvalidUrlException("URL \"" + url + "\" has scheme \"" + p.scheme
                    + "\"; a WebSocket URL's scheme must be ws or wss (or http, https)");
        };
        // Step 7: a fragment, even an empty one, is a SyntaxError
        if (p.hasFragment) {
            throw new InvalidUrlException("URL \"" + url + "\" has a fragment; WebSocket URLs must not");
        }
        int port = p.port == defaultPort(scheme) ? -1 : p.port;
        return new WebSocketUrl(scheme, p.username, p.password, p.host, port, p.path, p.query);
    }

    /** @return whether the scheme is wss */
    public boolean secure() {
        return scheme.equals("wss");
    }

    /** @return the port to connect to, the default one filled in */
    public int effectivePort() {
        return port == -1 ? defaultPort(scheme) : port;
    }

    /** @return the host name or address to resolve, without IPv6 brackets */
    public String hostForConnect() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** @return the request target of the handshake: path and query (RFC 6455 3, "resource-name") */
    public String resourceName() {
        return query == null ? path : path + "?" + query;
    }

    /** @return the serialized origin, e.g. "ws://example.com:8080" (URL Standard, tuple origin serialization) */
    public String origin() {
        return scheme + "://" + host + (port == -1 ? "" : ":" + port);
    }

    /** @return the URL Standard's URL serializer applied to this URL, e.g. "ws://example.com/chat" */
    public String serialize() {
        StringBuilder s = new StringBuilder(scheme).append("://");
        if (!username.isEmpty() || !password.isEmpty()) {
            s.append(username);
            if (!password.isEmpty()) {
                s.append(':').append(password);
            }
            s.append('@');
        }
        s.append(host);
        if (port != -1) {
            s.append(':').append(port);
        }
        s.append(path);
        if (query != null) {
            s.append('?').append(query);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return serialize();
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "ws", "http" -> 80;
            case "wss", "https" -> 443;
            default -> -1;
        };
    }

    /** What the basic URL parser produced, before the WebSocket steps. */
    private static final class Parsed {
        String scheme;
        String username = "";
        String password = "";
        String host;
        int port = -1;
        String path;
        String query;
        boolean hasFragment;
    }

    /** The URL Standard's basic URL parser, special-scheme states only, with no base URL. */
    private static final class Parser {
        private final String original;
        private final String input;
        private int pointer;

        Parser(String url) {
            this.original = url;
            this.input = preprocess(url);
        }

        private static String preprocess(String url) {
            // Basic URL parser, steps 1-3: strip leading and trailing C0 controls and spaces, remove all
            // tabs and newlines; WebIDL's USVString conversion replaces lone surrogates with U+FFFD
            int start = 0;
            int end = url.length();
            while (start < end && url.charAt(start) <= 0x20) {
                start++;
            }
            while (end > start && url.charAt(end - 1) <= 0x20) {
                end--;
            }
            StringBuilder s = new StringBuilder(end - start);
            for (int i = start; i < end; i++) {
                char c = url.charAt(i);
                if (c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(url.charAt(i + 1))) {
                    s.append(c).append(url.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    s.append('\uFFFD');
                } else {
                    s.append(c);
                }
            }
            return s.toString();
        }

        Parsed run() throws InvalidUrlException {
            Parsed p = new Parsed();
            p.scheme = scheme();
            if (WebSocketUrl.defaultPort(p.scheme) == -1) {
                // Not a special scheme we map: the WebSocket steps refuse it whatever follows. Parsing it
                // fully would need the opaque-path and opaque-host states, which nothing here uses.
                p.host = "";
                p.path = "";
                return p;
            }
            // "special authority slashes" and "special authority ignore slashes" states: skip '/' and '\'
            while (pointer < input.length() && (input.charAt(pointer) == '/' || input.charAt(pointer) == '\\')) {
                pointer++;
            }
            authority(p);
            path(p);
            if (pointer < input.length() && input.charAt(pointer) == '?') {
                pointer++;
                p.query = query();
            }
            if (pointer < input.length() && input.charAt(pointer) == '#') {
                p.hasFragment = true;
            }
            return p;
        }

        /** "scheme start" and "scheme" states: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". */
        private String scheme() throws InvalidUrlException {
            int i = 0;
            if (input.isEmpty() || !isAsciiAlpha(input.charAt(0))) {
                throw fail("has no scheme, and a WebSocket has no base URL to resolve it against");
            }
            while (i < input.length() && (isAsciiAlpha(input.charAt(i)) || isAsciiDigit(input.charAt(i))
                    || input.charAt(i) == '+' || input.charAt(i) == '-' || input.charAt(i) == '.')) {
                i++;
            }
            if (i >= input.length() || input.charAt(i) != ':') {
                throw fail("has no scheme, and a WebSocket has no base URL to resolve it against");
            }
            pointer = i + 1;
            return input.substring(0, i).toLowerCase(Locale.ROOT);
        }

        /** "authority", "host" and "port" states. */
        private void authority(Parsed p) throws InvalidUrlException {
            int end = pointer;
            while (end < input.length() && "/\\?#".indexOf(input.charAt(end)) < 0) {
                end++;
            }
            String authority = input.substring(pointer, end);
            pointer = end;
            int at = authority.lastIndexOf('@');
            String hostAndPort = authority;
            if (at >= 0) {
                // "authority" state: everything before the last '@' is userinfo; the first ':' in it
                // separates the password; '@'s within are encoded as %40 by the userinfo encode set
                String userinfo = authority.substring(0, at);
                int colon = userinfo.indexOf(':');
                p.username = percentEncode(colon < 0 ? userinfo : userinfo.substring(0, colon), USERINFO);
                p.password = colon < 0 ? "" : percentEncode(userinfo.substring(colon + 1), USERINFO);
                hostAndPort = authority.substring(at + 1);
                if (hostAndPort.isEmpty()) {
                    throw fail("has credentials but no host");
                }
            }
            // "host" state: a ':' outside brackets starts the port
            int colon = -1;
            boolean insideBrackets = false;
            for (int i = 0; i < hostAndPort.length(); i++) {
                char c = hostAndPort.charAt(i);
                if (c == '[') {
                    insideBrackets = true;
                } else if (c == ']') {
                    insideBrackets = false;
                } else if (c == ':' && !insideBrackets) {
                    colon = i;
                    break;
                }
            }
            String hostInput = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
            if (hostInput.isEmpty()) {
                throw fail("has no host");
            }
            p.host = HostParser.parse(hostInput);
            if (p.host == null) {
                throw fail("has an invalid host \"" + hostInput + "\"");
            }
            if (colon >= 0) {
                p.port = port(hostAndPort.substring(colon + 1));
            }
        }

        /** "port" state: ASCII digits, at most 65535; empty means the default. */
        private int port(String digits) throws InvalidUrlException {
            if (digits.isEmpty()) {
                return -1;
            }
            long port = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (!isAsciiDigit(c)) {
                    throw fail("has a port \"" + digits + "\" that is not a number");
                }
                port = port * 10 + (c - '0');
                if (port > 65535) {
                    throw fail("has a port \"" + digits + "\" above 65535");
                }
            }
            return (int) port;
        }

        /** "path start" and "path" states for special URLs. */
        private void path(Parsed p) {
            List<String> segments = new ArrayList<>();
            if (pointer < input.length() && (input.charAt(pointer) == '/' || input.charAt(pointer) == '\\')) {
                pointer++;
            }
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char c = pointer < input.length() ? input.charAt(pointer) : 0;
                boolean eof = pointer >= input.length();
                if (eof || c == '/' || c == '\\' || c == '?' || c == '#') {
                    boolean slash = !eof && (c == '/' || c == '\\');
                    String segment = buffer.toString();
                    buffer.setLength(0);
                    if (isDoubleDot(segment)) {
                        // ".." removes the last segment ("shorten"); at the end it leaves an empty one
                        if (!segments.isEmpty()) {
                            segments.removeLast();
                        }
                        if (!slash) {
                            segments.add("");
                        }
                    } else if (isSingleDot(segment)) {
                        if (!slash) {
                            segments.add("");
                        }
                    } else {
                        segments.add(segment);
                    }
                    if (!slash) {
                        break;
                    }
                    pointer++;
                    continue;
                }
                int cp = input.codePointAt(pointer);
                appendEncoded(buffer, cp, PATH);
                pointer += Character.charCount(cp);
            }
            p.path = "/" + String.join("/", segments);
        }

        /** "query" state, with the special-query percent-encode set and UTF-8 (ws/wss use UTF-8). */
        private String query() {
            StringBuilder buffer = new StringBuilder();
            while (pointer < input.length() && input.charAt(pointer) != '#') {
                int cp = input.codePointAt(pointer);
                appendEncoded(buffer, cp, SPECIAL_QUERY);
                pointer += Character.charCount(cp);
            }
            return buffer.toString();
        }

        private InvalidUrlException fail(String why) {
            return new InvalidUrlException("URL \"" + original + "\" " + why);
        }
    }

    // ---------------------------------------------------------------- percent-encode sets (URL Standard 1.3)

    private static final int C0 = 0;
    private static final int SPECIAL_QUERY = 1;
    private static final int PATH = 2;
    private static final int USERINFO = 3;

    /** Whether {@code c} (an ASCII code point) is in the given percent-encode set. */
    private static boolean inSet(int c, int set) {
        if (c < 0x20 || c > 0x7E) {
            return true; // C0 control percent-encode set
        }
        if (set == C0) {
            return false;
        }
        // query set: C0 + space " # < >; the special-query set adds '
        boolean query = c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
        if (set == SPECIAL_QUERY) {
            return query || c == '\'';
        }
        // path set: query set + ? ^ ` { }
        boolean path = query || c == '?' || c == '^' || c == '`' || c == '{' || c == '}';
        if (set == PATH) {
            return path;
        }
        // userinfo set: path set + / : ; = @ [ \ ] |
        return path || c == '/' || c == ':' || c == ';' || c == '=' || c == '@' || c == '[' || c == '\\'
                || c == ']' || c == '|';
    }

    private static void appendEncoded(StringBuilder out, int cp, int set) {
        if (cp < 0x80 && !inSet(cp, set)) {
            out.append((char) cp);
            return;
        }
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
    }

    private static String percentEncode(String s, int set) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            appendEncoded(out, cp, set);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static boolean isSingleDot(String s) {
        return s.equals(".") || s.equalsIgnoreCase("%2e");
    }

    private static boolean isDoubleDot(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "..", ".%2e", "%2e.", "%2e%2e" -> true;
            default -> false;
        };
    }

    private static boolean isAsciiAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
