package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: script-transaction-pubsub
import io.respin.client.async.PubSubMessage;
import io.respin.client.RedisClient;
import io.respin.client.async.Subscription;
import io.respin.client.async.TransactionResult;
import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Script;
import io.respin.engine.resp.Reply;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

// end snippet
import org.junit.jupiter.api.Test;

/** docs/clients.md, "Script, transaction, pub/sub", against a real server. */
class ScriptTransactionPubSubDocTest {

    @Test
    void scriptTransactionPubSub() throws InterruptedException {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            client.sync().del("counter");
            // snippet: script-transaction-pubsub
            var redis = client.sync();
            Script incrBy = Script.of("return redis.call('INCRBY', KEYS[1], ARGV[1])");
            Reply n = redis.evalScript(incrBy, List.of("counter"), List.of("5")); // EVALSHA, EVAL on NOSCRIPT

            try (RedisTransaction<String, String> tx = client.transaction()) {    // a dedicated connection
                tx.watch("counter");
                long current = Long.parseLong(tx.sync().get("counter"));
                tx.multi();
                tx.queue().set("counter", Long.toString(current * 2));           // a future, completed at EXEC
                TransactionResult result = tx.exec();                            // committed() is false if "counter" changed
            }
            // client.asyncTransaction(): the same steps, each returning a CompletableFuture

            var received = new LinkedBlockingQueue<PubSubMessage<String>>();
            Subscription sub = client.subscribe(received::add, "news");          // listener runs off the IO thread
            redis.publish("news", "hello subscribers");
            System.out.println(received.take().message());                       // hello subscribers
            sub.close();                                                         // UNSUBSCRIBE
            // end snippet
            assertEquals("5", n.asString());
            assertEquals("10", redis.get("counter"), "the transaction committed");
            redis.del("counter");
        }
    }
}
