package io.duplex.peers.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * A WebSocket echo server on Netty 4.2, set up the way Netty's documentation and examples recommend for
 * throughput, as the peer that {@code bin/loadtest} compares Duplex with.
 *
 * <ul>
 *   <li>One event loop thread for accepting and for every connection (the server gets one core).
 *   <li>The native epoll transport when {@link Epoll#isAvailable()}, else NIO ({@code --transport nio}
 *       forces NIO).
 *   <li>TCP_NODELAY on accepted sockets; no compression extension; Netty's defaults otherwise (pooled
 *       allocator, UTF-8 validation of text frames, ping/pong and close handled by the protocol handler).
 *   <li>Frames are echoed by retaining them and writing them back; one flush per read batch in
 *       {@code channelReadComplete}.
 *   <li>The resource leak detector is disabled, as Netty advises for production and benchmark runs.
 * </ul>
 *
 * <p>With {@code --broadcast-path /broadcast}, a second route for {@code bin/loadtest}'s broadcast
 * scenario: every data frame received there is written to every channel on that route, the sender
 * included, through a {@link ChannelGroup} (Netty's broadcast idiom: one retained duplicate of the frame
 * per channel, {@code writeAndFlush} each). The protocol handler then accepts every path and each channel
 * picks its handler from the path of its handshake; without the option only {@code --path} upgrades.
 *
 * <p>Usage: {@code java -jar netty-echo.jar --port P [--host 127.0.0.1] [--path /echo]
 * [--broadcast-path /broadcast] [--transport epoll|nio]}. Prints one line when listening. Runs until killed.
 *
 * <p>Threading: all I/O and handlers run on the one event loop thread; {@code main} only sets up and waits.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {}

    /**
     * Echoes data frames back on the same channel, flushing once per read batch.
     *
     * <p>Threading: runs on the channel's event loop; sharable because it holds no state.
     */
    @ChannelHandler.Sharable
    static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame
                    || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                // SimpleChannelInboundHandler releases the frame after this returns; the write owns one more reference.
                ctx.write(frame.retain());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Picks each channel's handler from the path of its completed handshake (only with a broadcast path):
     * the echo path echoes, the broadcast path joins the group, any other path is closed.
     *
     * <p>Threading: runs on the channel's event loop; sharable because its fields are final and the group
     * is thread-safe.
     */
    @ChannelHandler.Sharable
    static final class PathSwitch extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final String echoPath;
        private final String broadcastPath;
        private final EchoHandler echo;
        private final BroadcastHandler broadcast;

        PathSwitch(String echoPath, String broadcastPath, EchoHandler echo, BroadcastHandler broadcast) {
            this.echoPath = echoPath;
            this.broadcastPath = broadcastPath;
            this.echo = echo;
            this.broadcast = broadcast;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                String path = handshake.requestUri();
                int query = path.indexOf('?');
                path = query < 0 ? path : path.substring(0, query);
                if (path.equals(echoPath)) {
                    ctx.pipeline().replace(this, "echo", echo);
                } else if (path.equals(broadcastPath)) {
                    ctx.pipeline().replace(this, "broadcast", broadcast);
                    broadcast.group.add(ctx.channel());
                } else {
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            // Only before the handshake completes, which sends no data frames.
        }
    }

    /**
     * Writes every data frame to every channel of the group (which removes channels as they close).
     *
     * <p>Threading: runs on the channels' event loops; sharable, the group is thread-safe.
     */
    @ChannelHandler.Sharable
    static final class BroadcastHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame
                    || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                // The group writes a retained duplicate to each channel and then releases what it was given.
                group.writeAndFlush(frame.retain());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Starts the server and blocks until its channel closes.
     *
     * @param args {@code --port P}, optional {@code --host}, {@code --path}, {@code --transport}
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = -1;
        String path = "/echo";
        String transport = "auto";
        String broadcastPath = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = require(args[i], value);
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--path" -> path = require(args[i], value);
                case "--transport" -> transport = require(args[i], value);
                case "--broadcast-path" -> broadcastPath = require(args[i], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --port P [--host H] [--path /echo] [--broadcast-path /broadcast]"
                        + " [--transport auto|epoll|nio]");
            }
            i++;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not in 0..65535");
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);

        boolean epoll = switch (transport) {
            case "auto" -> Epoll.isAvailable();
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield true;
            }
            case "nio" -> false;
            default -> throw new IllegalArgumentException("--transport " + transport + ": expected auto, epoll or nio");
        };
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);

        // With a broadcast route every path upgrades ("/" as a prefix) and PathSwitch sorts them out.
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(broadcastPath == null ? path : "/")
                .checkStartsWith(broadcastPath != null)
                .maxFramePayloadLength(1 << 20) // Duplex's default frame limit, 1 MiB
                .allowExtensions(false)
                .build();
        EchoHandler echo = new EchoHandler();
        ChannelHandler last = broadcastPath == null ? echo
                : new PathSwitch(path, broadcastPath, echo, new BroadcastHandler());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(8192),
                                    new WebSocketServerProtocolHandler(wsConfig),
                                    last);
                        }
                    });
            Channel channel = bootstrap.bind(host, port).sync().channel();
            String version = Version.identify().getOrDefault("netty-codec-http", null) instanceof Version v
                    ? v.artifactVersion() : "unknown";
            System.out.println("netty-echo listening on " + channel.localAddress() + " path " + path
                    + (broadcastPath == null ? "" : " broadcast " + broadcastPath)
                    + " transport " + (epoll ? "epoll" : "nio") + " netty " + version
                    + " processors " + Runtime.getRuntime().availableProcessors());
            System.out.flush();
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
