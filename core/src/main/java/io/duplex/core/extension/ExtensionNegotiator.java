package io.duplex.core.extension;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the extensions of a connection from the {@code Sec-WebSocket-Extensions} headers (RFC 6455 9.1),
 * on the server from the client's offers and on the client from the server's answer.
 *
 * <p>Extension names are matched to {@link ExtensionFactory#name()} case-insensitively. RFC 6455 does not
 * say whether extension tokens are case-sensitive; every registered name is lower case, and matching
 * loosely costs nothing while a peer that writes {@code Permessage-Deflate} would otherwise be turned
 * away. When several factories share a name, the first in the list is used.
 *
 * <p>RSV bits are the scarce resource: two extensions that own the same bit cannot both be active, since
 * a receiver could not tell whose the bit is.
 *
 * <p>Threading: stateless; safe to call from any thread if the factories are (as their contract requires).
 */
public final class ExtensionNegotiator {

    private ExtensionNegotiator() {
    }

    /**
     * Server side: accepts what it can of the client's offers.
     *
     * <p>Offers are walked in the client's order, which is its order of preference (RFC 6455 9.1). For
     * each offer that names a known extension not yet accepted, the factory is asked; a declined offer
     * lets the next offer of the same name be tried, and once one is accepted later offers of that name
     * are skipped. An accepted extension whose RSV bits overlap one accepted before it is released and
     * dropped (later offers of its name are still tried).
     *
     * @param clientOffers the parsed {@code Sec-WebSocket-Extensions} of the request
     * @param factories the extensions this server supports
     * @return the accepted extensions in the client's order, which is also the order to list them in the
     *     response; empty if none
     */
    public static List<Extension> negotiateServer(List<ExtensionOffer> clientOffers, List<ExtensionFactory> factories) {
        List<Extension> accepted = new ArrayList<>();
        int usedBits = 0;
        for (ExtensionOffer offer : clientOffers) {
            ExtensionFactory factory = factoryFor(offer.name(), factories);
            if (factory == null || isAccepted(offer.name(), accepted)) {
                continue;
            }
            Extension extension = factory.acceptOffer(offer);
            if (extension == null) {
                continue;
            }
            if ((extension.reservedBits() & usedBits) != 0) {
                extension.release();
                continue;
            }
            usedBits |= extension.reservedBits();
            accepted.add(extension);
        }
        return List.copyOf(accepted);
    }

    /**
     * Client side: checks the server's answer and configures the extensions it accepted.
     *
     * @param serverResponse the parsed {@code Sec-WebSocket-Extensions} of the 101 response
     * @param factories the extensions this client offered
     * @return the extensions in the server's order
     * @throws ExtensionNegotiationException if the server named an extension the client did not offer, named
     *     one twice, chose two extensions that own the same RSV bit, or a factory refused its parameters;
     *     any extension already configured is released first
     */
    public static List<Extension> negotiateClient(List<ExtensionOffer> serverResponse, List<ExtensionFactory> factories)
            throws ExtensionNegotiationException {
        List<Extension> accepted = new ArrayList<>();
        try {
            int usedBits = 0;
            for (ExtensionOffer response : serverResponse) {
                // RFC 6455 4.1: the client fails the connection if the server uses an extension the client
                // did not request
                ExtensionFactory factory = factoryFor(response.name(), factories);
                if (factory == null) {
                    throw new ExtensionNegotiationException("server accepted extension \"" + response.name()
                            + "\" that the client did not offer (RFC 6455 4.1)");
                }
                if (isAccepted(response.name(), accepted)) {
                    throw new ExtensionNegotiationException("server accepted extension \"" + response.name()
                            + "\" more than once (RFC 6455 4.1, 9.1)");
                }
                Extension extension = factory.acceptResponse(response);
                accepted.add(extension);
                if ((extension.reservedBits() & usedBits) != 0) {
                    throw new ExtensionNegotiationException("server accepted extension \"" + response.name()
                            + "\" whose RSV bits " + Integer.toBinaryString(extension.reservedBits())
                            + " are already owned by an earlier extension (RFC 6455 5.2, 9)");
                }
                usedBits |= extension.reservedBits();
            }
            return List.copyOf(accepted);
        } catch (ExtensionNegotiationException | RuntimeException e) {
            for (Extension extension : accepted) {
                extension.release();
            }
            throw e;
        }
    }

    private static ExtensionFactory factoryFor(String name, List<ExtensionFactory> factories) {
        for (ExtensionFactory factory : factories) {
            if (factory.name().equalsIgnoreCase(name)) {
                return factory;
            }
        }
        return null;
    }

    private static boolean isAccepted(String name, List<Extension> accepted) {
        for (Extension extension : accepted) {
            if (extension.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
