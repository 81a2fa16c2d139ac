package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.Partitions;
import io.duplex.testkit.RawFrame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The spec-derived case catalogue: what a receiving core must report, and answer on the wire, for the
 * classes of input RFC 6455 rules on (the classes the Autobahn TestSuite sections 1-7 check), written from
 * the RFC. Each case is a byte sequence a peer sends; it runs against a server core (the peer is a client,
 * frames masked) and a client core (the peer is a server, frames unmasked), with the input whole, split at
 * every point (or at random points for large inputs) and one byte at a time. The receiver's replies are
 * decoded by a core of the other role, so this is client core against server core, in memory.
 *
 * <p>Expected events use {@link Wire#render}: {@code text:...}, {@code binary:N bytes}, {@code ping:hex},
 * {@code pong:hex}, {@code close:CODE} (peer's close frame), {@code fail:CODE} (the failure funnel).
 * Expected replies are the events a peer core sees in what the receiver sent back.
 */
class ProtocolCatalogueTest {

    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONT = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    /** One catalogue entry. */
    record Case(String id, String rule, Function<Role, byte[]> input, List<String> events, List<String> replies) {
    }

    // ------------------------------------------------------------------ DSL

    private static Function<Role, byte[]> frames(FrameSpec... specs) {
        return peer -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (FrameSpec spec : specs) {
                out.writeBytes(spec.bytes(peer));
            }
            return out.toByteArray();
        };
    }

    @FunctionalInterface
    interface FrameSpec {
        byte[] bytes(Role peer);
    }

    private static FrameSpec f(int opcode, boolean fin, int rsv, byte[] payload) {
        return peer -> Wire.frame(peer, opcode, fin, rsv, payload);
    }

    private static FrameSpec text(String s) {
        return f(TEXT, true, 0, Wire.utf8(s));
    }

    private static FrameSpec close(int code, String reason) {
        byte[] r = Wire.utf8(reason);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        return f(CLOSE, true, 0, payload);
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] filled(int length, int c) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static String chars(int length) {
        return length > 40 ? "<" + length + " chars>" : "*".repeat(length);
    }

    private static Case c(String id, String rule, Function<Role, byte[]> input, List<String> events,
                          List<String> replies) {
        return new Case(id, rule, input, events, replies);
    }

    private static final List<String> NONE = List.of();

    private static List<String> failed(int code) {
        return List.of("close:" + code);
    }

    // ------------------------------------------------------------------ the catalogue

    static List<Case> catalogue() {
        List<Case> cases = new ArrayList<>();

        // 1. Framing: every length encoding boundary, text and binary (RFC 6455 5.2, 5.6).
        for (int length : new int[] {0, 125, 126, 127, 128, 65535, 65536}) {
            cases.add(c("1.1." + length, "RFC 6455 5.2: text of " + length + " bytes",
                    frames(f(TEXT, true, 0, filled(length, '*'))), List.of("text:" + chars(length)), NONE));
            cases.add(c("1.2." + length, "RFC 6455 5.2: binary of " + length + " bytes",
                    frames(f(BINARY, true, 0, filled(length, 0xFE))), List.of("binary:" + length + " bytes"), NONE));
        }
        cases.add(c("1.3.1", "RFC 6455 5.2: several frames in one read",
                frames(text("a"), text("b"), f(BINARY, true, 0, new byte[3])), List.of("text:a", "text:b", "binary:3 bytes"), NONE));

        // 2. Pings and pongs (RFC 6455 5.5.2, 5.5.3).
        cases.add(c("2.1", "RFC 6455 5.5.2: empty ping is answered by empty pong",
                frames(f(PING, true, 0, new byte[0])), List.of("ping:"), List.of("pong:")));
        cases.add(c("2.2", "RFC 6455 5.5.3: pong carries the ping's application data",
                frames(f(PING, true, 0, Wire.utf8("Hello, world!"))), List.of("ping:48656c6c6f2c20776f726c6421"),
                List.of("pong:48656c6c6f2c20776f726c6421")));
        cases.add(c("2.3", "RFC 6455 5.5.3: binary ping payload echoed",
                frames(f(PING, true, 0, hex("00 ff fe fd fc fb 00 ff"))), List.of("ping:00fffefdfcfb00ff"), List.of("pong:00fffefdfcfb00ff")));
        cases.add(c("2.4", "RFC 6455 5.5: ping of 125 bytes is the largest allowed",
                frames(f(PING, true, 0, filled(125, 0xFE))), List.of("ping:" + "fe".repeat(125)), List.of("pong:" + "fe".repeat(125))));
        cases.add(c("2.5", "RFC 6455 5.5: ping of 126 bytes fails with 1002",
                frames(f(PING, true, 0, filled(126, 0xFE))), List.of("fail:1002"), failed(1002)));
        cases.add(c("2.6", "RFC 6455 5.5.2: each of several pings gets its pong",
                frames(f(PING, true, 0, hex("01")), f(PING, true, 0, hex("02")), f(PING, true, 0, hex("03"))),
                List.of("ping:01", "ping:02", "ping:03"), List.of("pong:01", "pong:02", "pong:03")));
        cases.add(c("2.7", "RFC 6455 5.5.3: unsolicited pong is reported, not answered",
                frames(f(PONG, true, 0, new byte[0])), List.of("pong:"), NONE));
        cases.add(c("2.8", "RFC 6455 5.5.3: unsolicited pong with payload",
                frames(f(PONG, true, 0, Wire.utf8("unsolicited"))), List.of("pong:756e736f6c696369746564"), NONE));
        cases.add(c("2.9", "RFC 6455 5.5.3: pong then ping",
                frames(f(PONG, true, 0, hex("aa")), f(PING, true, 0, hex("bb"))), List.of("pong:aa", "ping:bb"), List.of("pong:bb")));
        cases.add(c("2.10", "RFC 6455 5.5: fragmented ping fails with 1002",
                frames(f(PING, false, 0, hex("01")), f(CONT, true, 0, hex("02"))), List.of("fail:1002"), failed(1002)));

        // 3. Reserved bits (RFC 6455 5.2): without a negotiated extension, any RSV bit fails with 1002.
        int[][] rsvCases = {{TEXT, 4}, {TEXT, 2}, {TEXT, 1}, {BINARY, 5}, {PING, 6}, {CLOSE, 7}, {PONG, 3}};
        for (int[] rc : rsvCases) {
            cases.add(c("3." + rc[0] + "." + rc[1], "RFC 6455 5.2: RSV " + Integer.toBinaryString(rc[1]) + " on opcode " + rc[0] + " fails with 1002",
                    frames(f(rc[0], true, rc[1], new byte[0])), List.of("fail:1002"), failed(1002)));
        }
        cases.add(c("3.8", "RFC 6455 5.2: a good message before the bad frame is delivered, then 1002",
                frames(text("Hello"), f(TEXT, true, 2, Wire.utf8("Hello")), text("never")), List.of("text:Hello", "fail:1002"), failed(1002)));
        cases.add(c("3.9", "RFC 6455 5.2: RSV on a continuation frame fails with 1002",
                frames(f(TEXT, false, 0, Wire.utf8("a")), f(CONT, true, 4, Wire.utf8("b"))), List.of("fail:1002"), failed(1002)));

        // 4. Opcodes (RFC 6455 5.2): reserved opcodes fail with 1002, nothing after them is processed.
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            cases.add(c("4." + Integer.toHexString(opcode), "RFC 6455 5.2: reserved opcode 0x" + Integer.toHexString(opcode) + " fails with 1002",
                    frames(text("before"), f(opcode, true, 0, Wire.utf8("x")), f(PING, true, 0, new byte[0])),
                    List.of("text:before", "fail:1002"), failed(1002)));
        }

        // 5. Fragmentation (RFC 6455 5.4).
        cases.add(c("5.1", "RFC 6455 5.5: fragmented pong fails with 1002",
                frames(f(PONG, false, 0, hex("01")), f(CONT, true, 0, hex("02"))), List.of("fail:1002"), failed(1002)));
        cases.add(c("5.2", "RFC 6455 5.4: text in two fragments is one message",
                frames(f(TEXT, false, 0, Wire.utf8("frag1")), f(CONT, true, 0, Wire.utf8("frag2"))), List.of("text:frag1frag2"), NONE));
        cases.add(c("5.3", "RFC 6455 5.4: binary in three fragments is one message",
                frames(f(BINARY, false, 0, new byte[2]), f(CONT, false, 0, new byte[3]), f(CONT, true, 0, new byte[4])), List.of("binary:9 bytes"), NONE));
        cases.add(c("5.4", "RFC 6455 5.4: control frames may be injected between fragments",
                frames(f(TEXT, false, 0, Wire.utf8("frag1")), f(PING, true, 0, hex("01")), f(CONT, true, 0, Wire.utf8("frag2"))),
                List.of("ping:01", "text:frag1frag2"), List.of("pong:01")));
        cases.add(c("5.5", "RFC 6455 5.4: a pong and a ping between every fragment",
                frames(f(TEXT, false, 0, Wire.utf8("a")), f(PONG, true, 0, new byte[0]), f(CONT, false, 0, Wire.utf8("b")),
                        f(PING, true, 0, new byte[0]), f(CONT, true, 0, Wire.utf8("c"))),
                List.of("pong:", "ping:", "text:abc"), List.of("pong:")));
        cases.add(c("5.6", "RFC 6455 5.4: continuation (fin) without a message to continue fails with 1002",
                frames(f(CONT, true, 0, Wire.utf8("x"))), List.of("fail:1002"), failed(1002)));
        cases.add(c("5.7", "RFC 6455 5.4: continuation (not fin) without a message to continue fails with 1002",
                frames(f(CONT, false, 0, Wire.utf8("x")), f(CONT, true, 0, Wire.utf8("y"))), List.of("fail:1002"), failed(1002)));
        cases.add(c("5.8", "RFC 6455 5.4: continuation after a complete message fails with 1002",
                frames(text("whole"), f(CONT, true, 0, Wire.utf8("extra"))), List.of("text:whole", "fail:1002"), failed(1002)));
        cases.add(c("5.9", "RFC 6455 5.4: a new data frame before the fragmented message ends fails with 1002",
                frames(f(TEXT, false, 0, Wire.utf8("a")), f(TEXT, true, 0, Wire.utf8("b"))), List.of("fail:1002"), failed(1002)));
        cases.add(c("5.10", "RFC 6455 5.4: binary start inside a text message fails with 1002",
                frames(f(TEXT, false, 0, Wire.utf8("a")), f(BINARY, false, 0, new byte[1]), f(CONT, true, 0, new byte[1])), List.of("fail:1002"), failed(1002)));
        cases.add(c("5.11", "RFC 6455 5.4: empty fragments make an empty message",
                frames(f(TEXT, false, 0, new byte[0]), f(CONT, false, 0, new byte[0]), f(CONT, true, 0, new byte[0])), List.of("text:"), NONE));
        cases.add(c("5.12", "RFC 6455 5.4: a message in one-byte fragments",
                frames(f(TEXT, false, 0, Wire.utf8("H")), f(CONT, false, 0, Wire.utf8("e")), f(CONT, false, 0, Wire.utf8("l")),
                        f(CONT, false, 0, Wire.utf8("l")), f(CONT, true, 0, Wire.utf8("o"))), List.of("text:Hello"), NONE));

        // 6. UTF-8 (RFC 6455 8.1, RFC 3629): text must be valid UTF-8; fail with 1007 at the first bad byte.
        String greek = "κ\u1F79σμε"; // RFC 6455 era test vector: omicron with oxia, U+1F79
        cases.add(c("6.1", "RFC 3629: valid multi-byte text in one frame", frames(text("Hello-µ@ßöäüàá-UTF-8!!")), List.of("text:Hello-µ@ßöäüàá-UTF-8!!"), NONE));
        cases.add(c("6.2", "RFC 6455 8.1: a code point split across fragments", frames(f(TEXT, false, 0, hex("ce ba e1")),
                f(CONT, false, 0, hex("bd")), f(CONT, true, 0, hex("b9 cf 83 ce bc ce b5"))), List.of("text:" + greek), NONE));
        cases.add(c("6.3", "RFC 6455 8.1: a 4-byte code point split into 1-byte fragments", frames(f(TEXT, false, 0, hex("f0")),
                f(CONT, false, 0, hex("9f")), f(CONT, false, 0, hex("98")), f(CONT, true, 0, hex("80"))), List.of("text:\uD83D\uDE00"), NONE));
        cases.add(c("6.4", "RFC 3629 4: U+10FFFF is the last valid code point", frames(f(TEXT, true, 0, hex("f4 8f bf bf"))), List.of("text:\uDBFF\uDFFF"), NONE));
        cases.add(c("6.5", "RFC 3629 4: U+FFFF and U+FFFE are valid", frames(f(TEXT, true, 0, hex("ef bf bf ef bf be"))), List.of("text:\uFFFF\uFFFE"), NONE));
        cases.add(c("6.6", "RFC 3629 3: a surrogate (ED A0 80) fails with 1007",
                frames(f(TEXT, true, 0, hex("ce ba e1 bd b9 ed a0 80 65 64 69 74 65 64"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.7", "RFC 3629 3: the last surrogate (ED BF BF) fails with 1007", frames(f(TEXT, true, 0, hex("ed bf bf"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.8", "RFC 3629 3: overlong 2-byte form of '/' fails with 1007", frames(f(TEXT, true, 0, hex("c0 af"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.9", "RFC 3629 3: overlong 3-byte form fails with 1007", frames(f(TEXT, true, 0, hex("e0 80 af"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.10", "RFC 3629 3: overlong 4-byte form fails with 1007", frames(f(TEXT, true, 0, hex("f0 80 80 af"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.11", "RFC 3629 3: a code point above U+10FFFF fails with 1007", frames(f(TEXT, true, 0, hex("f4 90 80 80"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.12", "RFC 3629 3: bytes F5-FF never appear", frames(f(TEXT, true, 0, hex("41 fe 41"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.13", "RFC 3629 3: an unexpected continuation byte fails with 1007", frames(f(TEXT, true, 0, hex("41 80 41"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.14", "RFC 6455 8.1: a message ending inside a code point fails with 1007", frames(f(TEXT, true, 0, hex("41 ce"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.15", "RFC 6455 8.1: invalid text fails at the first bad fragment, before the message ends",
                frames(f(TEXT, false, 0, hex("ce ba e1 bd b9 ed a0 80"))), List.of("fail:1007"), failed(1007)));
        cases.add(c("6.16", "RFC 6455 8.1: binary messages are not validated", frames(f(BINARY, true, 0, hex("ed a0 80 ff"))), List.of("binary:4 bytes"), NONE));

        // 7. Closing (RFC 6455 5.5.1, 7).
        cases.add(c("7.1.1", "RFC 6455 5.5.1: a close is echoed with its code", frames(close(1000, "")), List.of("close:1000"), List.of("close:1000")));
        cases.add(c("7.1.2", "RFC 6455 5.5.1: nothing after the close frame is processed",
                frames(close(1000, ""), close(1001, ""), f(PING, true, 0, new byte[0]), text("late")), List.of("close:1000"), List.of("close:1000")));
        cases.add(c("7.1.3", "RFC 6455 5.5.1: a partial message is dropped by the close",
                frames(f(TEXT, false, 0, Wire.utf8("part")), close(1000, ""), f(CONT, true, 0, Wire.utf8("rest"))), List.of("close:1000"), List.of("close:1000")));
        cases.add(c("7.1.4", "RFC 6455 5.5.1: messages before the close are delivered",
                frames(text("last words"), close(1000, "")), List.of("text:last words", "close:1000"), List.of("close:1000")));
        cases.add(c("7.3.1", "RFC 6455 7.1.5: an empty close frame reports 1005 and is echoed empty",
                frames(f(CLOSE, true, 0, new byte[0])), List.of("close:1005"), List.of("close:1005")));
        cases.add(c("7.3.2", "RFC 6455 5.5.1: a close payload of 1 byte fails with 1002",
                frames(f(CLOSE, true, 0, hex("03"))), List.of("fail:1002"), failed(1002)));
        cases.add(c("7.3.3", "RFC 6455 5.5.1: close with code and reason", frames(close(1000, "Hello World!")), List.of("close:1000"), List.of("close:1000")));
        cases.add(c("7.3.4", "RFC 6455 5.5: a 123-byte reason is the longest", frames(close(1000, "r".repeat(123))), List.of("close:1000"), List.of("close:1000")));
        cases.add(c("7.3.5", "RFC 6455 5.5: a 124-byte reason makes a 126-byte control frame: 1002",
                frames(close(1000, "r".repeat(124))), List.of("fail:1002"), failed(1002)));
        cases.add(c("7.5.1", "RFC 6455 5.5.1: a close reason that is not UTF-8 fails with 1007",
                frames(f(CLOSE, true, 0, hex("03 e8 ce ba e1 bd b9 ed a0 80"))), List.of("fail:1007"), failed(1007)));
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
            cases.add(c("7.7." + code, "RFC 6455 7.4.1: close code " + code + " is valid and echoed",
                    frames(close(code, "")), List.of("close:" + code), List.of("close:" + code)));
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            cases.add(c("7.9." + code, "RFC 6455 7.4.1: close code " + code + " may not be on the wire: 1002",
                    frames(close(code, "")), List.of("fail:1002"), failed(1002)));
        }

        // Limits (RFC 6455 7.4.1: 1009 for a message too big to process), with Limits.DEFAULT's 1 MiB.
        cases.add(c("9.1", "RFC 6455 7.4.1: a frame over the frame limit fails with 1009 at its header",
                peer -> Arrays.copyOf(Wire.frame(peer, BINARY, true, 0, new byte[(1 << 20) + 1]), 20),
                List.of("fail:1009"), failed(1009)));
        cases.add(c("9.2", "RFC 6455 7.4.1: fragments adding up over the message limit fail with 1009",
                frames(f(BINARY, false, 0, new byte[1 << 19]), f(CONT, false, 0, new byte[1 << 19]), f(CONT, true, 0, new byte[1])),
                List.of("fail:1009"), failed(1009)));

        // Length encoding (RFC 6455 5.2).
        cases.add(c("10.1", "RFC 6455 5.2: a 16-bit length below 126 is not minimal: 1002",
                peer -> masked(peer, RawFrame.builder(TEXT).payload(Wire.utf8("Hello")).lengthEncoding(RawFrame.LengthEncoding.SIXTEEN)),
                List.of("fail:1002"), failed(1002)));
        cases.add(c("10.2", "RFC 6455 5.2: a 64-bit length below 65536 is not minimal: 1002",
                peer -> masked(peer, RawFrame.builder(TEXT).payload(Wire.utf8("Hello")).lengthEncoding(RawFrame.LengthEncoding.SIXTY_FOUR)),
                List.of("fail:1002"), failed(1002)));
        cases.add(c("10.3", "RFC 6455 5.2: a 64-bit length with the high bit set: 1002",
                peer -> masked(peer, RawFrame.builder(BINARY).lengthEncoding(RawFrame.LengthEncoding.SIXTY_FOUR)
                        .rawLength(0x8000_0000_0000_0005L)), List.of("fail:1002"), failed(1002)));
        return cases;
    }

    private static byte[] masked(Role peer, RawFrame.Builder builder) {
        return (peer == Role.CLIENT ? builder.mask(0x11223344) : builder.unmasked()).build();
    }

    // ------------------------------------------------------------------ running

    @TestFactory
    Stream<DynamicNode> serverReceives() {
        return run(Role.SERVER);
    }

    @TestFactory
    Stream<DynamicNode> clientReceives() {
        return run(Role.CLIENT);
    }

    private Stream<DynamicNode> run(Role receiver) {
        Role peer = receiver == Role.SERVER ? Role.CLIENT : Role.SERVER;
        return catalogue().stream().map(testCase -> {
            byte[] input = testCase.input().apply(peer);
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("whole input", () -> check(receiver, testCase, List.of(input))));
            tests.add(DynamicTest.dynamicTest("split at every point", () -> {
                if (input.length <= 2048) {
                    for (List<byte[]> split : Partitions.splitAtEveryPoint(input)) {
                        check(receiver, testCase, split);
                    }
                } else {
                    for (List<byte[]> split : Partitions.random(input, new Random(input.length), 64)) {
                        check(receiver, testCase, split);
                    }
                }
            }));
            if (input.length <= 70_000) {
                tests.add(DynamicTest.dynamicTest("one byte at a time", () -> check(receiver, testCase, Partitions.oneByteAtATime(input))));
            }
            return DynamicContainer.dynamicContainer(testCase.id() + " " + testCase.rule(), tests);
        });
    }

    private static void check(Role receiver, Case testCase, List<byte[]> pieces) {
        WebSocketConnection connection = WebSocketConnection.builder(receiver).build();
        assertThat(Wire.feed(connection, pieces)).as("events").containsExactlyElementsOf(testCase.events());
        assertThat(Wire.replies(connection)).as("replies").containsExactlyElementsOf(testCase.replies());
        boolean ended = testCase.events().stream().anyMatch(e -> e.startsWith("fail:") || e.startsWith("close:"));
        assertThat(connection.state()).isEqualTo(ended ? WebSocketConnection.State.CLOSED : WebSocketConnection.State.OPEN);
    }
}
