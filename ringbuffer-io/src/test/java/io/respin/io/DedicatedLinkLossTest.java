package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.loop.OnIoThread;
import io.respin.RedisConnectionException;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A blocking command's dedicated connection is killed while another blocking command waits for that (only) pooled
 * connection. The one on the wire fails (outcome unknown); the one that was never sent waits for the reconnect and
 * is sent then. Before the fix the dying link was handed to the waiter inside the failure, and it failed with
 * "connection is dead… the transport must reconnect" although it had never been sent.
 */
class DedicatedLinkLossTest {

    @Test
    void aCommandWaitingForTheLostDedicatedLinkIsSentAfterTheReconnect() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofSeconds(20)).build())) {
            RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()), ConnectionOptions.builder().maxDedicatedConnections(1).build());
            RedisEndpoint admin = io.connect(server.uri());
            Cmd.Blocking onTheWire = new Cmd.Blocking("BLPOP", "loss:a", "10");
            redis.submit(onTheWire);
            long id = awaitBlockedClient(admin);
            Cmd.Blocking waiting = new Cmd.Blocking("BLPOP", "loss:b", "10");
            redis.submit(waiting); // the pool's only link is taken: it waits, unsent
            assertTrue(OnIoThread.waitsForAPooledLink(io.loop(), waiting),
                    "the premise: the waiter waits at the endpoint for the pool's only link, unsent");
            Thread.sleep(50);
            new Cmd.Generic("CLIENT", "KILL", "ID", Long.toString(id)).run(admin);
            RedisConnectionException lost = assertThrows(RedisConnectionException.class, onTheWire::await);
            assertTrue(lost.outcomeUnknown(), lost.getMessage());
            Thread.sleep(100);
            assertFalse(waiting.isDone(), () -> "the never-sent waiter failed: " + waiting.failure());
            long again = awaitBlockedClient(admin); // the waiter went out on the reconnected link
            assertTrue(again != id, "a new connection");
            new Cmd.Generic("RPUSH", "loss:b", "v").run(admin);
            waiting.await();
            io.respin.engine.resp.Reply.Aggregate popped = (io.respin.engine.resp.Reply.Aggregate) waiting.reply();
            assertEquals("loss:b", popped.elements().get(0).asString());
            assertEquals("v", popped.elements().get(1).asString());
        }
    }

    /** The id of the client blocked in BLPOP, once there is one. */
    private static long awaitBlockedClient(RedisEndpoint admin) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            String list = Cmd.str(new Cmd.Generic("CLIENT", "LIST").run(admin));
            for (String line : list.split("\n")) {
                if (line.contains("cmd=blpop")) {
                    String idField = line.substring(line.indexOf("id=") + 3);
                    return Long.parseLong(idField.substring(0, idField.indexOf(' ')));
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no client blocked in BLPOP");
    }
}
