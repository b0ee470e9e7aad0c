package dev.dragon.router.dispatch;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty event loop thread that every dispatch channel of a router shares. The engine hands a layer's
 * calls to it in one task ({@link #executor()}): the calls' writes and flushes then run on the loop itself,
 * which wakes once per layer, instead of being woken by the engine thread once per call (8 wake-ups per token
 * with 4 layers and 2 groups; 12 % of the engine thread at 1 stream). One thread is enough: the engine thread
 * that issues the calls is one thread too, and replies only decode rows into place.
 */
public final class DispatchLoop implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    public DispatchLoop() {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dragon-dispatch", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends Channel> channelType() {
        return channelType;
    }

    /** Runs tasks (and timers) on the loop thread. */
    ScheduledExecutorService executor() {
        return group.next();
    }

    /** Stops the loop once the channels on it are closed. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
}
