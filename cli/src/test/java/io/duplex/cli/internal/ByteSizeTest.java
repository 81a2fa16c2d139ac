package io.duplex.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "65536, 65536",
        "1, 1",
        "64b, 64",
        "64k, 65536",
        "64K, 65536",
        "64kb, 65536",
        "64KiB, 65536",
        "64kib, 65536",
        "64KIB, 65536",
        "1m, 1048576",
        "1M, 1048576",
        "1MiB, 1048576",
        "1mb, 1048576",
        "16MiB, 16777216",
        "1g, 1073741824",
        "1GiB, 1073741824",
    })
    void acceptsNumbersWithBinaryUnitsCaseInsensitively(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
        assertThat(new ByteSize().convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "MiB", "12q", "1.5m", "-1", "+5", "64 k", " 64k", "64k ", "0x10", "64kibi", "1t"})
    void rejectsOtherFormsNamingTheValue(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("64k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0k", "000"})
    void rejectsZero(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("size '" + text + "' must be at least 1 byte");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2g", "2GiB", "2048m", "2147483648", "99999999999999999999999", "9999999999999g"})
    void rejectsSizesAboveTheLargestArray(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("size '" + text + "' exceeds the largest supported, " + ByteSize.MAX + " bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483639", "2097151k"})
    void acceptsTheLargestSupported(String text) {
        assertThat(ByteSize.parse(text)).isLessThanOrEqualTo(ByteSize.MAX);
    }
}
