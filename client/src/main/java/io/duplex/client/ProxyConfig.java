package io.duplex.client;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy to reach the server through, opt-in with {@link WebSocket.Builder#proxy}: an HTTP proxy tunnelling
 * with {@code CONNECT} (RFC 9110 9.3.6, the way browsers reach ws and wss servers through a proxy), with
 * optional Basic authentication (RFC 7617), or a SOCKS5 proxy (RFC 1928) with optional username/password
 * authentication (RFC 1929). The server's host name is passed to the proxy unresolved.
 *
 * <p>Threading: immutable.
 *
 * @param type which protocol the proxy speaks
 * @param host the proxy's host name or IP literal
 * @param port the proxy's port
 * @param username the user name for the proxy, or null for none
 * @param password the password for the proxy, or null for none
 */
public record ProxyConfig(Type type, String host, int port, String username, String password) {

    /** The protocols a proxy may speak. */
    public enum Type {
        /** An HTTP proxy, through a CONNECT tunnel. */
        HTTP,
        /** A SOCKS5 proxy. */
        SOCKS5
    }

    /** Checks the values. */
    public ProxyConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("proxy host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " is outside 1-65535");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("proxy username and password must be both set or both null");
        }
    }

    /**
     * An HTTP proxy reached with CONNECT.
     *
     * @param host its host
     * @param port its port
     * @return the configuration
     */
    public static ProxyConfig http(String host, int port) {
        return new ProxyConfig(Type.HTTP, host, port, null, null);
    }

    /**
     * A SOCKS5 proxy.
     *
     * @param host its host
     * @param port its port
     * @return the configuration
     */
    public static ProxyConfig socks5(String host, int port) {
        return new ProxyConfig(Type.SOCKS5, host, port, null, null);
    }

    /**
     * A copy with credentials: Basic authentication for HTTP, username/password for SOCKS5 (each at most
     * 255 bytes of UTF-8 there).
     *
     * @param username the user
     * @param password the password
     * @return the copy
     */
    public ProxyConfig withCredentials(String username, String password) {
        return new ProxyConfig(type, host, port, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"));
    }

    /**
     * The proxy that the usual environment variables name for a WebSocket URL, as curl reads them:
     * {@code https_proxy} for wss and {@code http_proxy} for ws (lower case first, then upper case), else
     * {@code all_proxy}; none if {@code no_proxy} lists the host (a suffix match on domain labels, or "*").
     * A variable's value is a URL: {@code http://[user:password@]host[:port]} or {@code socks5://...} (also
     * {@code socks5h://}); a value without a scheme is an HTTP proxy.
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @param secure whether the WebSocket URL is wss
     * @param host the WebSocket server's host
     * @return the proxy, or empty for a direct connection
     * @throws IllegalArgumentException if the variable's value does not parse
     */
    public static Optional<ProxyConfig> fromEnvironment(Map<String, String> env, boolean secure, String host) {
        if (excluded(first(env, "no_proxy"), host)) {
            return Optional.empty();
        }
        String value = first(env, secure ? "https_proxy" : "http_proxy");
        if (value == null) {
            value = first(env, "all_proxy");
        }
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(parse(value));
    }

    private static String first(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            v = env.get(name.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean excluded(String noProxy, String host) {
        if (noProxy == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String entry : noProxy.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                return true;
            }
            if (e.startsWith(".")) {
                e = e.substring(1);
            }
            if (h.equals(e) || h.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    private static ProxyConfig parse(String value) {
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy \"" + value + "\" is not a URL", e);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Type type = switch (scheme) {
            case "http" -> Type.HTTP;
            case "socks5", "socks5h" -> Type.SOCKS5;
            default -> throw new IllegalArgumentException("proxy \"" + value + "\" has scheme " + scheme
                    + "; supported: http, socks5, socks5h");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy \"" + value + "\" has no host");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : type == Type.HTTP ? 80 : 1080;
        ProxyConfig config = new ProxyConfig(type, uri.getHost(), port, null, null);
        String userInfo = uri.getUserInfo(); // decoded
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            config = config.withCredentials(colon < 0 ? userInfo : userInfo.substring(0, colon),
                    colon < 0 ? "" : userInfo.substring(colon + 1));
        }
        return config;
    }

    @Override
    public String toString() {
        // never print the password
        return "ProxyConfig[" + type + " " + host + ":" + port + (username == null ? "" : ", user " + username) + "]";
    }
}
