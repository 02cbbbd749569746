package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.async.RedisPipeline;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.ScoredValue;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SCAN-family iterators: every one of 10,000 keys (and every hash field, set and zset member) comes back. */
class ScanTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scanIteratorLosesNoneOfTenThousandKeys(int resp) {
        RedisClient c = Redis.client(resp);
        String prefix = "scan" + resp + ":";
        RedisPipeline<String, String> p = c.pipeline();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            p.set(prefix + i, "v");
            expected.add(prefix + i);
        }
        p.awaitAll();
        Set<String> seen = new HashSet<>();
        Iterator<String> it = c.sync().scanIterator(new ScanArgs().match(prefix + "*").count(500));
        int total = 0;
        while (it.hasNext()) {
            seen.add(it.next());
            total++;
        }
        assertEquals(expected, seen, "no key lost");
        assertEquals(10_000, total, "no key twice (the keyspace did not change during the scan)");
        assertEquals(10_000L, c.sync().scanStream(new ScanArgs().match(prefix + "*").count(1000)).distinct().count());
        // clean up in pages of keys, through the same iterator
        RedisPipeline<String, String> del = c.pipeline();
        c.sync().scanIterator(new ScanArgs().match(prefix + "*").count(1000)).forEachRemaining(del::del);
        del.awaitAll();
        assertEquals(0L, c.sync().scanStream(new ScanArgs().match(prefix + "*")).count());
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void asyncScanEachVisitsEveryKey(int resp) {
        RedisClient c = Redis.client(resp);
        String prefix = "ascan" + resp + ":";
        RedisPipeline<String, String> p = c.pipeline();
        for (int i = 0; i < 2_000; i++) {
            p.sadd(prefix + "s", "m" + i);
            p.set(prefix + i, "v");
        }
        p.awaitAll();
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long n = c.async().scanEach(new ScanArgs().match(prefix + "*").count(300), seen::add).join();
        assertEquals(2_001, seen.size());
        assertEquals(2_001L, n);
        Set<String> members = java.util.concurrent.ConcurrentHashMap.newKeySet();
        assertEquals(2_000L, c.async().sscanEach(prefix + "s", new ScanArgs().count(100), members::add).join());
        assertEquals(2_000, members.size());
        RedisPipeline<String, String> del = c.pipeline();
        seen.forEach(del::del);
        del.awaitAll();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void hscanSscanZscan(int resp) {
        var r = Redis.client(resp).sync();
        String k = "scancol" + resp;
        r.del(k + "h", k + "s", k + "z");
        for (int i = 0; i < 300; i++) {
            r.hset(k + "h", "f" + i, "v" + i);
            r.sadd(k + "s", "m" + i);
            r.zadd(k + "z", i, "m" + i);
        }
        Set<String> fields = new HashSet<>();
        r.hscanIterator(k + "h", new ScanArgs().count(50)).forEachRemaining(e -> {
            assertEquals("v" + e.getKey().substring(1), e.getValue());
            fields.add(e.getKey());
        });
        assertEquals(300, fields.size());
        Set<String> members = new HashSet<>();
        r.sscanIterator(k + "s", new ScanArgs().match("m1*")).forEachRemaining(members::add);
        assertEquals(111, members.size(), "m1, m10-m19, m100-m199");
        Map<String, Double> scores = new java.util.HashMap<>();
        r.zscanIterator(k + "z", new ScanArgs().count(50)).forEachRemaining(
                (ScoredValue<String> sv) -> scores.put(sv.value(), sv.score()));
        assertEquals(300, scores.size());
        assertEquals(42.0, scores.get("m42"));
        r.del(k + "h", k + "s", k + "z");
    }
}
