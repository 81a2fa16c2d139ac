package io.duplex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionsTest {
    private static final byte[] INPUT = Hex.parse("01 02 03 04 05");

    @Test
    void splitAtEveryPointGivesNPlusOneTwoChunkPartitions() {
        List<List<byte[]>> partitions = Partitions.splitAtEveryPoint(INPUT);
        assertThat(partitions).hasSize(6);
        for (int k = 0; k < partitions.size(); k++) {
            assertThat(partitions.get(k)).hasSize(2);
            assertThat(partitions.get(k).get(0)).hasSize(k);
            assertThat(joined(partitions.get(k))).isEqualTo(INPUT);
        }
    }

    @Test
    void oneByteAtATime() {
        List<byte[]> chunks = Partitions.oneByteAtATime(INPUT);
        assertThat(chunks).hasSize(5).allSatisfy(c -> assertThat(c).hasSize(1));
        assertThat(Bytes.concat(chunks.toArray(byte[][]::new))).isEqualTo(INPUT);
    }

    @Test
    void everyCompositionIsAllDistinctSplitsIntoNonEmptyChunks() {
        List<List<byte[]>> partitions = Partitions.everyComposition(INPUT);
        assertThat(partitions).hasSize(16);
        Set<String> shapes = new HashSet<>();
        for (List<byte[]> p : partitions) {
            assertThat(joined(p)).isEqualTo(INPUT);
            assertThat(p).allSatisfy(c -> assertThat(c).isNotEmpty());
            shapes.add(p.stream().map(c -> Integer.toString(c.length)).toList().toString());
        }
        assertThat(shapes).hasSize(16);
        assertThat(partitions.get(0)).hasSize(1);
    }

    @Test
    void everyCompositionLimits() {
        assertThat(Partitions.everyComposition(new byte[16])).hasSize(1 << 15);
        assertThat(Partitions.everyComposition(new byte[0])).hasSize(1);
        assertThatThrownBy(() -> Partitions.everyComposition(new byte[17]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomPartitionsJoinToTheInput() {
        List<List<byte[]>> partitions = Partitions.random(Bytes.random(new Random(1), 100), new Random(2), 50);
        assertThat(partitions).hasSize(50);
        byte[] expected = Bytes.random(new Random(1), 100);
        for (List<byte[]> p : partitions) {
            assertThat(joined(p)).isEqualTo(expected);
            assertThat(p).allSatisfy(c -> assertThat(c).isNotEmpty());
        }
        assertThat(partitions.stream().map(List::size).distinct().count()).isGreaterThan(5);
    }

    private static byte[] joined(List<byte[]> chunks) {
        return Bytes.concat(chunks.toArray(byte[][]::new));
    }
}
