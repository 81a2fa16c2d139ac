package io.duplex.server.internal;

import io.duplex.core.Limits;
import io.duplex.server.HttpHandler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the route for a request path: an exact pattern beats every prefix pattern, and among prefixes the
 * longest wins. WebSocket routes and HTTP handlers are separate tables; a plain request goes to whichever
 * matches better, the HTTP handler on a tie (so one path can serve a page and a WebSocket).
 *
 * <p>Threading: immutable.
 */
final class Router {

    /** Where a plain (non-upgrade) request goes. */
    sealed interface PlainTarget {
        /** A WebSocket route's path: the client must upgrade (426). */
        record WebSocketPath(RouteConfig route) implements PlainTarget {
        }

        /** An HTTP handler. */
        record Http(HttpHandler handler) implements PlainTarget {
        }

        /** Nothing here (404). */
        record None() implements PlainTarget {
        }
    }

    private final List<RouteConfig> routes;
    private final List<HttpRoute> httpRoutes;
    private final Limits headLimits;

    Router(List<RouteConfig> routes, List<HttpRoute> httpRoutes) {
        requireDistinct(routes.stream().map(RouteConfig::path).toList(), "WebSocket route");
        requireDistinct(httpRoutes.stream().map(HttpRoute::path).toList(), "HTTP handler");
        this.routes = List.copyOf(routes);
        this.httpRoutes = List.copyOf(httpRoutes);
        this.headLimits = headLimits(routes);
    }

    private static void requireDistinct(List<String> paths, String what) {
        Set<String> seen = new HashSet<>();
        for (String path : paths) {
            if (!seen.add(path)) {
                throw new IllegalArgumentException(what + " path " + path + " is registered twice");
            }
        }
    }

    /**
     * The head is read before its path, and so its route, is known: heads are read under the largest
     * handshake limits of all routes (Limits.DEFAULT's when there are none).
     */
    private static Limits headLimits(List<RouteConfig> routes) {
        if (routes.isEmpty()) {
            return Limits.DEFAULT;
        }
        Limits widest = routes.get(0).limits();
        for (RouteConfig route : routes) {
            Limits l = route.limits();
            widest = widest.withMaxHandshakeSize(Math.max(widest.maxHandshakeSize(), l.maxHandshakeSize()))
                    .withMaxHeaderLineLength(Math.max(widest.maxHeaderLineLength(), l.maxHeaderLineLength()))
                    .withMaxHeaderCount(Math.max(widest.maxHeaderCount(), l.maxHeaderCount()));
        }
        return widest;
    }

    /** The limits to read request heads with. */
    Limits headLimits() {
        return headLimits;
    }

    /** The WebSocket route for {@code path}, or null. */
    RouteConfig webSocketRoute(String path) {
        RouteConfig best = null;
        int bestScore = -1;
        for (RouteConfig route : routes) {
            int score = PathPattern.score(route.path(), path);
            if (score > bestScore) {
                best = route;
                bestScore = score;
            }
        }
        return best;
    }

    /** Where a plain request for {@code path} goes. */
    PlainTarget plainTarget(String path) {
        HttpRoute bestHttp = null;
        int httpScore = -1;
        for (HttpRoute route : httpRoutes) {
            int score = PathPattern.score(route.path(), path);
            if (score > httpScore) {
                bestHttp = route;
                httpScore = score;
            }
        }
        RouteConfig ws = webSocketRoute(path);
        int wsScore = ws == null ? -1 : PathPattern.score(ws.path(), path);
        if (bestHttp != null && httpScore >= wsScore) {
            return new PlainTarget.Http(bestHttp.handler());
        }
        if (ws != null) {
            return new PlainTarget.WebSocketPath(ws);
        }
        return new PlainTarget.None();
    }
}
