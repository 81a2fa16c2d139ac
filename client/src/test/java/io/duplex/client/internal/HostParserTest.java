package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The URL Standard's host pieces on their own. */
class HostParserTest {

    @Test
    void ipv4NumberParserRadixes() {
        assertThat(HostParser.parseIpv4Number("10")).isEqualTo(10);
        assertThat(HostParser.parseIpv4Number("010")).isEqualTo(8);
        assertThat(HostParser.parseIpv4Number("0x10")).isEqualTo(16);
        assertThat(HostParser.parseIpv4Number("0X")).isZero();
        assertThat(HostParser.parseIpv4Number("0")).isZero();
        assertThat(HostParser.parseIpv4Number("08")).isEqualTo(-1);
        assertThat(HostParser.parseIpv4Number("0xg")).isEqualTo(-1);
        assertThat(HostParser.parseIpv4Number("")).isEqualTo(-1);
    }

    @Test
    void endsInANumber() {
        assertThat(HostParser.endsInANumber("a.1")).isTrue();
        assertThat(HostParser.endsInANumber("a.0x1")).isTrue();
        assertThat(HostParser.endsInANumber("a.1.")).isTrue();
        assertThat(HostParser.endsInANumber("1a")).isFalse();
        assertThat(HostParser.endsInANumber("a.b")).isFalse();
        assertThat(HostParser.endsInANumber(".")).isFalse();
    }

    @Test
    void ipv4LastPartFillsTheRemainingBytes() {
        assertThat(HostParser.parseIpv4("1.16777215")).isEqualTo((1L << 24) + 16777215);
        assertThat(HostParser.parseIpv4("1.16777216")).isEqualTo(-1);
        assertThat(HostParser.parseIpv4("1.2.65535")).isEqualTo((1L << 24) + (2L << 16) + 65535);
        assertThat(HostParser.parseIpv4("4294967295")).isEqualTo(4294967295L);
    }

    @Test
    void ipv6SerializerCompressesTheFirstLongestRunOfZeros() {
        assertThat(HostParser.serializeIpv6(new int[] {1, 0, 0, 2, 0, 0, 3, 4})).isEqualTo("1::2:0:0:3:4");
        assertThat(HostParser.serializeIpv6(new int[] {1, 0, 2, 0, 3, 0, 4, 0})).isEqualTo("1:0:2:0:3:0:4:0");
        assertThat(HostParser.serializeIpv6(new int[] {0, 0, 0, 0, 0, 0, 0, 1})).isEqualTo("::1");
        assertThat(HostParser.serializeIpv6(new int[] {1, 0, 0, 0, 0, 0, 0, 0})).isEqualTo("1::");
    }

    @Test
    void forbiddenDomainCodePoints() {
        for (char c : "\u0000\t\n\r #/:<>?@[\\]^|%\u007F".toCharArray()) {
            assertThat(HostParser.isForbiddenDomainCodePoint(c)).as("U+%04X", (int) c).isTrue();
        }
        for (char c : "az09-_.~!$&'()*+,;=\"`{}".toCharArray()) {
            assertThat(HostParser.isForbiddenDomainCodePoint(c)).as("%c", c).isFalse();
        }
    }

    @Test
    void idnaThroughJavaNetIdn() {
        assertThat(HostParser.domainToAscii("bücher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(HostParser.domainToAscii("例え.テスト")).isEqualTo("xn--r8jz45g.xn--zckzah");
        // the ideographic full stop is a label separator (UTS 46 maps it to '.')
        assertThat(HostParser.domainToAscii("例え。テスト")).isEqualTo("xn--r8jz45g.xn--zckzah");
        assertThat(HostParser.domainToAscii("EXAMPLE.com")).isEqualTo("example.com");
    }
}
