package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.ScoredValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The two facades over one definition give the same typed results (client-async tests the async one alone). */
class SyncMatchesAsyncTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void typedResultsMatchTheSyncClient(int resp) {
        RedisAsyncCommands<String, String> a = Redis.client(resp).async();
        var s = Redis.client(resp).sync();
        String k = "async:" + resp;
        s.del(k, k + "h", k + "z");
        assertEquals("OK", a.set(k, "v").join());
        assertEquals(s.get(k), a.get(k).join());
        a.hset(k + "h", Map.of("f", "1")).join();
        assertEquals(s.hgetall(k + "h"), a.hgetall(k + "h").join());
        a.zadd(k + "z", 1.5, "m").join();
        assertEquals(List.of(new ScoredValue<>("m", 1.5)), a.zrangeWithScores(k + "z", 0, -1).join());
        assertEquals(s.info("server").get("redis_version"), a.info("server").join().get("redis_version"));
        s.del(k, k + "h", k + "z");
    }
}
