package io.duplex.benchmarks;

import io.duplex.core.Limits;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.core.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's opening handshake on a typical browser upgrade request: {@value #REQUEST_BYTES_DOC} bytes
 * with the headers a current Chrome sends (user agent, origin, cache and language headers, a
 * permessage-deflate offer). It runs once per connection, so it matters for connection storms rather than
 * throughput; ops/s is handshakes/s.
 *
 * <ul>
 *   <li>{@code parseHead}: a new {@link HttpHeadParser} (one per connection, as in a server) reading the
 *       whole head from one buffer.</li>
 *   <li>{@code parseAndValidate}: plus {@link ServerHandshake#validateRequest} (RFC 6455 4.2.1 checks,
 *       key decoding, the extension offer grammar).</li>
 *   <li>{@code parseValidateRespond}: plus the 101 response, which adds SHA-1 and base64 of the key.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HandshakeParseBenchmark {

    /** For the class doc only; {@link #generate} checks it against the request below. */
    static final String REQUEST_BYTES_DOC = "513";

    static final String REQUEST = "GET /chat?room=42 HTTP/1.1\r\n"
            + "Host: chat.example.com\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: https://chat.example.com\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";

    private ByteBuffer request;
    private Limits limits;

    /** Encodes the request once and checks that it passes, so no benchmark measures a rejection. */
    @Setup(Level.Trial)
    public void encode() throws HandshakeException {
        byte[] bytes = REQUEST.getBytes(StandardCharsets.US_ASCII);
        if (!String.valueOf(bytes.length).equals(REQUEST_BYTES_DOC)) {
            throw new IllegalStateException("request is " + bytes.length + " bytes; update REQUEST_BYTES_DOC");
        }
        request = ByteBuffer.wrap(bytes);
        limits = Limits.DEFAULT;
        ServerHandshake.validateRequest(parse());
    }

    private HttpRequestHead parse() throws HandshakeException {
        request.clear();
        return HttpHeadParser.forRequests(limits).parse(request).orElseThrow();
    }

    /** Reading the head only. */
    @Benchmark
    public HttpRequestHead parseHead() throws HandshakeException {
        return parse();
    }

    /** Reading and validating the request. */
    @Benchmark
    public ServerHandshake.Request parseAndValidate() throws HandshakeException {
        return ServerHandshake.validateRequest(parse());
    }

    /** Reading, validating and writing the 101 response (no subprotocol, no extension accepted). */
    @Benchmark
    public ByteBuffer parseValidateRespond() throws HandshakeException {
        ServerHandshake.Request accepted = ServerHandshake.validateRequest(parse());
        return ServerHandshake.acceptResponse(accepted, null, List.of(), HttpHeaders.empty());
    }
}
