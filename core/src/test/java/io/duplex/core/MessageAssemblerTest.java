package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whole messages from pieces, with memory held only while a message is partial. */
class MessageAssemblerTest {

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void assemblesTextSplitInsideACodePoint() {
        MessageAssembler assembler = new MessageAssembler();
        byte[] bytes = "κόσμε".getBytes(StandardCharsets.UTF_8);
        assembler.append(ByteBuffer.wrap(bytes, 0, 3));
        assertThat(assembler.size()).isEqualTo(3);
        Event message = assembler.complete(Opcode.TEXT, ByteBuffer.wrap(bytes, 3, bytes.length - 3));
        assertThat(message).isEqualTo(new Event.Text("κόσμε"));
        assertThat(assembler.size()).isZero();
    }

    @Test
    void assemblesBinaryBeyondTheFirstCapacity() {
        MessageAssembler assembler = new MessageAssembler();
        for (int i = 0; i < 100; i++) {
            assembler.append(ByteBuffer.allocate(100));
        }
        Event.Binary message = (Event.Binary) assembler.complete(Opcode.BINARY, ByteBuffer.allocate(0));
        assertThat(message.data().remaining()).isEqualTo(10_000);
    }

    @Test
    void singlePieceMessageLeavesTheSourceUntouched() {
        ByteBuffer source = utf8("hello");
        assertThat(MessageAssembler.single(Opcode.TEXT, source)).isEqualTo(new Event.Text("hello"));
        assertThat(source.position()).isZero();
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip();
        Event.Binary binary = (Event.Binary) MessageAssembler.single(Opcode.BINARY, direct);
        assertThat(binary.data().array()).containsExactly(1, 2, 3);
        assertThat(direct.position()).isZero();
    }

    @Test
    void directBufferTextIsDecoded() {
        ByteBuffer direct = ByteBuffer.allocateDirect(2).put("hi".getBytes(StandardCharsets.US_ASCII)).flip();
        assertThat(MessageAssembler.single(Opcode.TEXT, direct)).isEqualTo(new Event.Text("hi"));
    }

    @Test
    void resetDropsAPartialMessage() {
        MessageAssembler assembler = new MessageAssembler();
        assembler.append(utf8("partial"));
        assembler.reset();
        assertThat(assembler.complete(Opcode.TEXT, utf8("new"))).isEqualTo(new Event.Text("new"));
    }
}
