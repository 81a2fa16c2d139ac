package io.duplex.cli.internal;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.server.HttpHandler;
import io.duplex.server.HttpRequest;
import io.duplex.server.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the browser demo: one self-contained HTML page (inline style and script, no external assets) that
 * opens a WebSocket to {@code /echo} on the same host, echoes what the user types, shows the round-trip time,
 * and on load makes one round trip by itself, then shows "round trip ok" in {@code <p id="status">}.
 *
 * <p>Threading: immutable; the page is read from the class path once, at construction.
 */
public final class DemoPage implements HttpHandler {

    /** The path of the WebSocket route the page connects to. */
    public static final String SOCKET_PATH = "/echo";

    /** The page's class-path resource, beside this class. */
    static final String RESOURCE = "demo.html";

    // The page needs nothing but its own inline code and a socket back to its origin; the policy says so,
    // so a page altered in transit or by a mistake cannot load or post anything elsewhere.
    private static final HttpHeaders PAGE_HEADERS = HttpHeaders.of(
            "Content-Type", "text/html; charset=utf-8",
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                    + " img-src data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'");

    private final byte[] page;

    /**
     * Loads the page.
     *
     * @throws IllegalStateException if the resource is missing (a broken build)
     */
    public DemoPage() {
        try (InputStream in = DemoPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path beside "
                        + DemoPage.class.getName());
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's bytes (UTF-8); a copy. */
    public byte[] page() {
        return page.clone();
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return switch (request.method()) {
            case "GET", "HEAD" -> new HttpResponse(200, PAGE_HEADERS, page);
            default -> new HttpResponse(405,
                    HttpHeaders.of("Allow", "GET, HEAD", "Content-Type", "text/plain; charset=utf-8",
                            "X-Content-Type-Options", "nosniff"),
                    ("method " + request.method() + " is not allowed on " + request.path() + "; use GET\n")
                            .getBytes(StandardCharsets.UTF_8));
        };
    }
}
