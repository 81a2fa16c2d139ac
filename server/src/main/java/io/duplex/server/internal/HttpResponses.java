package io.duplex.server.internal;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.server.HttpResponse;
import io.duplex.server.UpgradeDecision;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the complete HTTP/1.1 responses the server sends instead of a 101: an {@link HttpResponse} from an
 * {@link io.duplex.server.HttpHandler}, an {@link UpgradeDecision.Reject}, or a plain-text status. Every
 * response carries Content-Length and {@code Connection: close}: the server answers one request per
 * connection and closes it after the response is flushed.
 *
 * <p>Threading: stateless.
 */
final class HttpResponses {

    /** Framing headers the server writes itself; the application's copies are dropped. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

    private HttpResponses() {
    }

    /** An application's response; for HEAD requests without the body (RFC 7231 4.3.2). */
    static ByteBuffer of(HttpResponse response, boolean head) {
        return write(response.status(), response.headers(), response.body(), head);
    }

    /** An upgrade hook's rejection. */
    static ByteBuffer of(UpgradeDecision.Reject reject) {
        return write(reject.status(), reject.headers(), reject.body(), false);
    }

    /** A plain-text status with extra headers. */
    static ByteBuffer text(int status, HttpHeaders headers, String body) {
        return write(status, headers, body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static ByteBuffer write(int status, HttpHeaders headers, byte[] body, boolean head) {
        StringBuilder out = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ')
                .append(reasonPhrase(status)).append("\r\n");
        boolean typed = false;
        for (HttpHeaders.Field field : headers) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (FRAMING.contains(name)) {
                continue; // RFC 7230 3.3.3: one framing, ours; a second Content-Length would be ambiguous
            }
            typed |= name.equals("content-type");
            out.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        if (!typed && body.length > 0) {
            out.append("Content-Type: text/plain; charset=utf-8\r\n");
        }
        out.append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        byte[] headBytes = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        int bodyLength = head ? 0 : body.length;
        ByteBuffer bytes = ByteBuffer.allocate(headBytes.length + bodyLength);
        bytes.put(headBytes).put(body, 0, bodyLength);
        return bytes.flip();
    }

    /** RFC 7231 6.1 and RFC 6585: the reason phrases of the statuses a server commonly sends. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
        };
    }
}
