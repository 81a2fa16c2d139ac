package io.duplex.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ExtensionHeaderTest {

    private static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Test
    void parsesExtensionsWithParametersInOrder() throws Exception {
        List<ExtensionOffer> offers = ExtensionHeader.parse(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-foo");

        assertThat(offers).containsExactly(
                new ExtensionOffer("permessage-deflate", List.of(
                        ExtensionParameter.of("client_max_window_bits"),
                        new ExtensionParameter("server_max_window_bits", "10"))),
                ExtensionOffer.of("x-foo"));
    }

    @Test
    void parserToleratesOptionalWhitespaceAroundSeparators() throws Exception {
        assertThat(ExtensionHeader.parse(" \ta \t; \tb \t= \t1 \t,\t c ; d=\"2\" "))
                .isEqualTo(ExtensionHeader.parse("a;b=1,c;d=2"));
    }

    @Test
    void parserIgnoresEmptyListElements() throws Exception {
        assertThat(ExtensionHeader.parse(",a, , ,b,,")).containsExactly(ExtensionOffer.of("a"), ExtensionOffer.of("b"));
    }

    @Test
    void parserUnescapesQuotedPairsInQuotedValue() throws Exception {
        assertThat(ExtensionHeader.parse("a; b=\"1\\0\\x\"")).containsExactly(
                ExtensionOffer.of("a", new ExtensionParameter("b", "10x")));
    }

    @Test
    void parserRejectsQuotedValueThatIsNotAToken() {
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b=\"x y\""))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("\"x y\"").hasMessageContaining("not a token").hasMessageContaining("9.1");
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b=\"\\\"\""))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("not a token");
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b=\"\""))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("not a token");
    }

    @Test
    void parserRejectsUnterminatedQuotedString() {
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b=\"10"))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("unterminated quoted-string starting at position 5");
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b=\"10\\"))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("unterminated quoted-pair");
    }

    @Test
    void parserNamesInvalidCharacterAndPosition() {
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b@c"))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("'@' (0x40) at position 4");
        assertThatThrownBy(() -> ExtensionHeader.parse("a\u0001"))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("0x01 at position 1");
    }

    @Test
    void parserRejectsMissingNamesAndValues() {
        assertThatThrownBy(() -> ExtensionHeader.parse("a; =1"))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("expected parameter name");
        assertThatThrownBy(() -> ExtensionHeader.parse("a; b="))
                .isInstanceOf(ExtensionNegotiationException.class)
                .hasMessageContaining("end of value").hasMessageContaining("value of parameter b");
        assertThatThrownBy(() -> ExtensionHeader.parse(";b"))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("expected extension name");
        assertThatThrownBy(() -> ExtensionHeader.parse("a b"))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("'b' (0x62) at position 2");
    }

    @Test
    void parserRejectsHeaderWithoutAnyExtension() {
        assertThatThrownBy(() -> ExtensionHeader.parse(" , ,"))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("holds no extension");
        assertThatThrownBy(() -> ExtensionHeader.parse(""))
                .isInstanceOf(ExtensionNegotiationException.class).hasMessageContaining("holds no extension");
    }

    @Test
    void parserJoinsSeveralHeaderLinesIntoOneList() throws Exception {
        assertThat(ExtensionHeader.parse(List.of("a; x=1", "", "b, c"))).containsExactly(
                ExtensionOffer.of("a", new ExtensionParameter("x", "1")), ExtensionOffer.of("b"), ExtensionOffer.of("c"));
        assertThat(ExtensionHeader.parse(List.of())).isEmpty();
    }

    @Test
    void formatWritesValuesAsBareTokens() {
        String header = ExtensionHeader.format(List.of(
                ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("client_max_window_bits"),
                        new ExtensionParameter("server_max_window_bits", "10")),
                ExtensionOffer.of("x")));

        assertThat(header).isEqualTo("permessage-deflate; client_max_window_bits; server_max_window_bits=10, x");
    }

    @Test
    void formatRefusesValueThatIsNotAToken() {
        assertThatThrownBy(() -> ExtensionHeader.format(List.of(
                ExtensionOffer.of("a", new ExtensionParameter("b", "x y")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"x y\" is not a token");
        assertThatThrownBy(() -> ExtensionHeader.format(List.of(ExtensionOffer.of("a\r\nX: y"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionHeader.format(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void formatThenParseGivesTheSameOffers(@ForAll("offerLists") List<ExtensionOffer> offers) throws Exception {
        assertThat(ExtensionHeader.parse(ExtensionHeader.format(offers))).isEqualTo(offers);
    }

    @Property
    void quotedAndBareTokenValuesParseTheSame(@ForAll("tokens") String name, @ForAll("tokens") String value)
            throws Exception {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            escaped.append('\\').append(c);
        }
        assertThat(ExtensionHeader.parse("e; " + name + "=\"" + escaped + "\""))
                .isEqualTo(ExtensionHeader.parse("e; " + name + "=" + value));
    }

    @Property
    void parserEitherParsesOrThrowsNegotiationException(@ForAll("headerish") String header) {
        // The one-line oracle: no other exception may escape, whatever the input.
        try {
            List<ExtensionOffer> offers = ExtensionHeader.parse(header);
            assertThat(offers).isNotEmpty();
        } catch (ExtensionNegotiationException expected) {
            assertThat(expected).hasMessageContaining("RFC 6455");
        }
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.strings().withChars(TCHARS).ofMinLength(1).ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> headerish() {
        return Arbitraries.strings().withChars(TCHARS + " \t,;=\"\\@\u0000\u00ff").ofMaxLength(30);
    }

    @Provide
    Arbitrary<List<ExtensionOffer>> offerLists() {
        Arbitrary<ExtensionParameter> parameter = Combinators.combine(tokens(), tokens().injectNull(0.3))
                .as(ExtensionParameter::new);
        Arbitrary<ExtensionOffer> offer = Combinators.combine(tokens(), parameter.list().ofMaxSize(4))
                .as(ExtensionOffer::new);
        return offer.list().ofMinSize(1).ofMaxSize(4).map(ArrayList::new);
    }
}
