package io.duplex.core.extension;

import java.util.List;

/**
 * The negotiation hooks of one kind of extension (RFC 6455 9.1). Clients call {@link #clientOffers} to
 * fill their request and {@link #acceptResponse} to check the server's choice; servers call {@link
 * #acceptOffer} for each offer of this extension in the client's order of preference.
 *
 * <p>Threading: implementations must be safe to call from several threads at once (one factory serves
 * many connections); the {@link Extension}s they create are confined to one connection.
 */
public interface ExtensionFactory {

    /** @return the extension token this factory negotiates */
    String name();

    /**
     * Client side: what to offer, in order of preference (several offers of the same extension with
     * different parameters are allowed).
     *
     * @return the offers, each named {@link #name()}
     */
    List<ExtensionOffer> clientOffers();

    /**
     * Client side: the server accepted this extension with these parameters.
     *
     * @param response the element of the server's header for this extension
     * @return the configured extension
     * @throws ExtensionNegotiationException if the parameters are not ones this client can accept
     */
    Extension acceptResponse(ExtensionOffer response) throws ExtensionNegotiationException;

    /**
     * Server side: one offer of this extension from the client.
     *
     * @param offer the element of the client's header
     * @return the configured extension to use, or null to decline this offer (the next one is tried)
     */
    Extension acceptOffer(ExtensionOffer offer);
}
