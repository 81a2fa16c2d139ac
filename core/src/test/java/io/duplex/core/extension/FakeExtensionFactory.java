package io.duplex.core.extension;

import io.duplex.core.Opcode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only extension factory: it negotiates an extension that owns the given RSV bits and leaves
 * payloads unchanged. A server declines offers carrying a {@code decline} parameter; a client refuses
 * responses carrying a {@code refuse} parameter. It counts releases so tests can check clean-up.
 *
 * <p>Threading: the release counter is atomic; otherwise immutable.
 */
public final class FakeExtensionFactory implements ExtensionFactory {
    private final String name;
    private final int reservedBits;
    private final List<ExtensionOffer> offers;
    private final AtomicInteger released = new AtomicInteger();

    /**
     * @param name the extension token
     * @param reservedBits the RSV bits the extension owns
     * @param offers what a client offers
     */
    public FakeExtensionFactory(String name, int reservedBits, List<ExtensionOffer> offers) {
        this.name = name;
        this.reservedBits = reservedBits;
        this.offers = List.copyOf(offers);
    }

    /** @param name the token @param reservedBits the bits @return a factory offering the bare name */
    public static FakeExtensionFactory of(String name, int reservedBits) {
        return new FakeExtensionFactory(name, reservedBits, List.of(ExtensionOffer.of(name)));
    }

    /** @return how many extensions made by this factory were released */
    public int releasedCount() {
        return released.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ExtensionOffer> clientOffers() {
        return offers;
    }

    @Override
    public Extension acceptResponse(ExtensionOffer response) throws ExtensionNegotiationException {
        if (response.parameter("refuse").isPresent()) {
            throw new ExtensionNegotiationException("parameter refuse in " + response + " is not acceptable");
        }
        return new FakeExtension(response);
    }

    @Override
    public Extension acceptOffer(ExtensionOffer offer) {
        return offer.parameter("decline").isPresent() ? null : new FakeExtension(offer);
    }

    /** The negotiated extension: a pass-through owning {@link #reservedBits}. */
    public final class FakeExtension implements Extension {
        private final ExtensionOffer negotiated;

        FakeExtension(ExtensionOffer negotiated) {
            this.negotiated = negotiated;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ExtensionOffer negotiated() {
            return negotiated;
        }

        @Override
        public int reservedBits() {
            return reservedBits;
        }

        @Override
        public void decode(int rsv, ByteBuffer chunk, boolean fin, PayloadSink out) throws io.duplex.core.ProtocolException {
            out.accept(chunk);
        }

        @Override
        public Encoded encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin) {
            return new Encoded(first ? reservedBits : 0, payload.duplicate());
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }
}
