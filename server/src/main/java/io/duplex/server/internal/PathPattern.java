package io.duplex.server.internal;

/**
 * Path patterns of routes and HTTP handlers: exact ("/chat"), or a prefix when the pattern ends with "/*"
 * ("/rooms/*" matches "/rooms/a" and "/rooms/a/b", not "/rooms").
 *
 * <p>Threading: stateless.
 */
public final class PathPattern {

    private PathPattern() {
    }

    /**
     * Checks a pattern.
     *
     * @throws IllegalArgumentException if it does not start with '/', holds '*' anywhere but a final "/*",
     *     or holds a space, control or non-ASCII character
     */
    public static void check(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("path \"" + pattern + "\" must start with '/'");
        }
        int star = pattern.indexOf('*');
        if (star >= 0 && (star != pattern.length() - 1 || !pattern.endsWith("/*"))) {
            throw new IllegalArgumentException("path \"" + pattern + "\" may hold '*' only as a final \"/*\"");
        }
        if (pattern.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F || c == '?' || c == '#')) {
            throw new IllegalArgumentException("path \"" + pattern
                    + "\" holds a space, control, '?', '#' or non-ASCII character");
        }
    }

    /** Whether {@code pattern} ends with "/*". */
    static boolean isPrefix(String pattern) {
        return pattern.endsWith("/*");
    }

    /**
     * How well {@code pattern} matches {@code path}: -1 for no match; otherwise a score where longer
     * patterns score higher and an exact match beats every prefix.
     */
    static int score(String pattern, String path) {
        if (isPrefix(pattern)) {
            String prefix = pattern.substring(0, pattern.length() - 1); // keeps the '/'
            return path.startsWith(prefix) ? prefix.length() : -1;
        }
        return pattern.equals(path) ? Integer.MAX_VALUE : -1;
    }
}
