package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, the health view: {@link RedisEndpoint#status()} shows each connection's state, in-flight count, reconnects
 * and last error, copied on the IO thread; a cut connection shows as reconnected, with why it was lost.
 */
class StatusTest {

    private static final String PASSWORD = "St4tus-pw-x";

    @Test
    void statusShowsInFlightCommandsAReconnectAndItsCause() throws Exception {
        try (RedisServer server = RedisServer.builder().requirePass(PASSWORD).start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect("redis://:" + PASSWORD + "@127.0.0.1:" + proxy.port())) {
            EndpointStatus s = redis.status();
            assertEquals(List.of(new ConnectionStatus(IoListener.Connection.SHARED, ConnectionStatus.State.READY, 0, 0,
                    0, null, false)), s.connections());
            assertFalse(s.closed());
            assertEquals(0, s.pendingCommands());
            assertFalse(s.toString().contains(PASSWORD), s.toString());

            proxy.stall(FaultProxy.Direction.TO_SERVER);
            AtomicInteger ended = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                redis.submit(new IoListenerTest.Held(ended));
            }
            s = await(redis, st -> st.connections().getFirst().inFlight() == 3);
            assertEquals(3, s.pendingCommands());
            proxy.resume();
            await(redis, st -> st.connections().getFirst().inFlight() == 0);

            proxy.cutAll();
            s = await(redis, st -> st.connections().getFirst().reconnects() == 1
                    && st.sharedState() == ConnectionStatus.State.READY);
            ConnectionStatus shared = s.connections().getFirst();
            assertEquals(0, shared.failedAttempts(), "ready again: no failures since");
            assertTrue(shared.lastError().contains("the server closed the connection to 127.0.0.1:" + proxy.port()),
                    shared.lastError());
            assertFalse(s.toString().contains(PASSWORD), s.toString());
            assertEquals(3, ended.get());

            new Cmd.Blocking("BLPOP", "status:none", "0.01").run(redis); // opens a dedicated connection
            s = redis.status();
            assertEquals(List.of(IoListener.Connection.SHARED, IoListener.Connection.DEDICATED),
                    s.connections().stream().map(ConnectionStatus::connection).toList());

            redis.core().close(); // what redis.close() does (try-with-resources closes it once more: a no-op)
            s = await(redis, st -> st.closed() && !st.connections().isEmpty()
                    && st.connections().getFirst().state() == ConnectionStatus.State.CLOSED);
            assertTrue(s.closed());
            assertTrue(s.connections().stream().allMatch(c -> c.state() == ConnectionStatus.State.CLOSED),
                    s.toString());
        }
    }

    @Test
    void aClosedRuntimeAnswersAtOnce() {
        try (RedisServer server = RedisServer.builder().start()) {
            IoRuntime io = IoRuntime.start(IoSettings.defaults());
            RedisEndpoint redis = io.connect(server.uri());
            io.close();
            EndpointStatus s = redis.status();
            assertTrue(s.closed());
            assertEquals(List.of(), s.connections());
            assertEquals(ConnectionStatus.State.CLOSED, s.sharedState());
        }
    }

    private static EndpointStatus await(RedisEndpoint redis, Predicate<EndpointStatus> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        EndpointStatus s = redis.status();
        while (!until.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status never got there: " + s);
            }
            Thread.sleep(5);
            s = redis.status();
        }
        return s;
    }
}
