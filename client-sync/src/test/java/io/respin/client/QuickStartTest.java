package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: quickstart-sync
import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.SetArgs;
import io.respin.engine.command.ZAddArgs;
import io.respin.engine.resp.Reply;
import java.time.Duration;
import java.util.Map;

// end snippet
import org.junit.jupiter.api.Test;

/** The README's sync quick start, imports included, against a real server ({@link DocSnippetsTest} keeps them equal). */
class QuickStartTest {

    @Test
    void syncQuickStart() {
        String uri = Redis.server().uri();
        // snippet: quickstart-sync
        try (RedisClient client = RedisClient.create(uri)) {        // e.g. "redis://localhost:6379"
            var redis = client.sync();
            redis.set("greeting", "hello");
            String v = redis.get("greeting");                         // "hello"
            boolean locked = redis.set("lock", "me", new SetArgs().nx().ex(Duration.ofSeconds(30)));
            redis.hset("user:1", Map.of("name", "Ann", "plan", "pro"));
            Map<String, String> user = redis.hgetall("user:1");       // {name=Ann, plan=pro}
            redis.zadd("board", new ZAddArgs(), Map.of("ann", 42.0, "bob", 17.0));
            var top = redis.zrangeWithScores("board", 0, 9);          // [ScoredValue[value=bob, score=17.0], ...]
            redis.scanIterator(new ScanArgs().match("user:*")).forEachRemaining(System.out::println);
            Reply r = redis.execute("OBJECT", "ENCODING", "greeting"); // anything without a typed method
            try {
                redis.lpush("greeting", "x");
            } catch (RedisServerException e) {
                System.out.println(e.prefix());                       // WRONGTYPE
            }
            // end snippet
            assertEquals("hello", v);
            assertEquals(true, locked);
            assertEquals("Ann", user.get("name"));
            assertEquals("bob", top.get(0).value());
            assertEquals("embstr", r.asString());
            redis.del("greeting", "lock", "user:1", "board");
        // snippet: quickstart-sync
        }
        // end snippet
    }
}
