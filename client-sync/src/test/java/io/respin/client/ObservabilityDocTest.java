package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// snippet: observability-listener
import io.respin.RedisException;
import io.respin.io.IoListener;
import io.respin.io.RedisEndpoint;
import java.util.concurrent.atomic.LongAdder;

// end snippet
// snippet: observability-status
import io.respin.io.ConnectionStatus;
import io.respin.io.EndpointStatus;

// end snippet
import org.junit.jupiter.api.Test;

/** docs/observability.md's snippets, against a real server. */
class ObservabilityDocTest {

    @Test
    void aListenerCountsCommandsAndErrors() {
        String uri = Redis.server().uri();
        // snippet: observability-listener
        LongAdder commands = new LongAdder();
        LongAdder failures = new LongAdder();
        IoListener listener = new IoListener() {
            @Override
            public void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos,
                                         Outcome outcome, RedisException error) {
                commands.increment();                    // runs on the IO thread: fast, never blocking
                if (outcome != Outcome.OK) {
                    failures.increment();
                }
            }

            @Override
            public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
                System.out.println(connection + " connection to " + endpoint.uri().address() + " lost: "
                        + cause.getMessage());
            }
        };
        try (RedisClient client = RedisClient.builder(uri).listener(listener).build()) {
            client.sync().set("obs:k", "v");
            client.sync().get("obs:k");
        }
        // end snippet
        assertTrue(commands.sum() >= 2, "SET and GET heard: " + commands.sum());
        assertEquals(0, failures.sum());
    }

    @Test
    void statusShowsTheSharedConnectionReady() {
        String uri = Redis.server().uri();
        // snippet: observability-status
        try (RedisClient client = RedisClient.create(uri)) {
            EndpointStatus status = client.status();
            for (ConnectionStatus c : status.connections()) {
                System.out.println(c.connection() + " " + c.state() + ", " + c.inFlight() + " in flight, "
                        + c.reconnects() + " reconnects, last error: " + c.lastError());
            }
            boolean healthy = status.sharedState() == ConnectionStatus.State.READY;
            // end snippet
            assertTrue(healthy, status.toString());
            assertEquals(1, status.connections().size(), status.toString());
        // snippet: observability-status
        }
        // end snippet
    }
}
