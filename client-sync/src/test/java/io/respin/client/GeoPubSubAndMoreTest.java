package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.PubSubMessage;
import io.respin.client.async.Subscription;
import io.respin.engine.command.KeyValues;
import io.respin.engine.command.ScoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Geo, PUBLISH/PUBSUB, and the less common sorted-set, string and key commands, on RESP2 and RESP3. */
class GeoPubSubAndMoreTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void geo(int resp) {
        var r = Redis.client(resp).sync();
        String k = "geo:" + resp;
        r.del(k);
        assertEquals(1L, r.geoadd(k, 13.361389, 38.115556, "Palermo"));
        assertEquals(1L, r.geoadd(k, 15.087269, 37.502669, "Catania"));
        double km = r.geodist(k, "Palermo", "Catania", "km");
        assertEquals(166.27, km, 0.01);
        assertNull(r.geodist(k, "Palermo", "Atlantis", "km"));
        List<List<Double>> pos = r.geopos(k, "Palermo", "Atlantis");
        assertEquals(13.361389, pos.get(0).get(0), 0.0001);
        assertNull(pos.get(1));
        assertEquals(List.of("sqc8b49rny0"), r.geohash(k, "Palermo"));
        assertEquals(List.of("Catania", "Palermo"), r.geosearch(k, 15, 37, 200, "km"));
        assertEquals(List.of("Palermo", "Catania"), r.geosearchBox(k, "Palermo", 400, 400, "km"));
        r.del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void publishAndIntrospection(int resp) throws InterruptedException {
        var r = Redis.client(resp).sync();
        var got = new java.util.concurrent.LinkedBlockingQueue<PubSubMessage<String>>();
        try (RedisClient sub = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            Subscription s = sub.subscribe(got::add, "chan" + resp);
            assertEquals(1L, r.publish("chan" + resp, "m"));
            assertEquals("m", got.poll(5, java.util.concurrent.TimeUnit.SECONDS).message());
            assertTrue(r.pubsubChannels("chan*").contains("chan" + resp));
            assertEquals(Map.of("chan" + resp, 1L, "nobody", 0L), r.pubsubNumsub("chan" + resp, "nobody"));
            s.close();
            assertEquals(0L, r.spublish("nobody", "m"));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void moreSortedSetStringAndKeyCommands(int resp) {
        var r = Redis.client(resp).sync();
        String k = "more:" + resp;
        r.del(k, k + "2", k + "b1", k + "b2", k + "bd", k + "l", k + "l2", k + "s1", k + "s2");
        r.zadd(k, 1, "a");
        r.zadd(k, 2, "b");
        r.zadd(k + "2", 5, "b");
        assertEquals(List.of(new ScoredValue<>("a", 1.0), new ScoredValue<>("b", 7.0)), r.zunionWithScores(k, k + "2"));
        assertEquals(List.of(new ScoredValue<>("b", 7.0)), r.zinterWithScores(k, k + "2"));
        assertEquals(List.of(new ScoredValue<>("a", 1.0)), r.zdiffWithScores(k, k + "2"));
        assertEquals(1L, r.zintercard(0, k, k + "2"));
        assertEquals(List.of("b", "a"), r.zrevrangebyscore(k, "+inf", "-inf"));
        assertEquals(2L, r.zlexcount(k, "-", "+"));
        assertEquals(List.of("a", "b"), r.zrangebylex(k, "-", "+"));
        assertEquals(new KeyValues<>(k, List.of(new ScoredValue<>("a", 1.0))), r.zmpop(true, 1, k + "none", k));
        assertEquals(new KeyValues<>(k, List.of(new ScoredValue<>("b", 2.0))),
                r.bzmpop(Duration.ofSeconds(1), false, 5, k));
        assertNull(r.zmpop(true, 1, k));
        r.set(k + "b1", "ab");
        r.set(k + "b2", "a");
        assertEquals(2L, r.bitop("AND", k + "bd", k + "b1", k + "b2"));
        r.set(k + "s1", "ohmytext");
        r.set(k + "s2", "mynewtext");
        assertEquals("mytext", r.lcs(k + "s1", k + "s2"));
        r.rpush(k + "l", "x");
        assertEquals("x", r.rpoplpush(k + "l", k + "l2"));
        r.pexpire(k + "l2", Duration.ofSeconds(100));
        assertTrue(r.pexpiretime(k + "l2") > System.currentTimeMillis());
        assertEquals("quicklist", r.objectEncoding(k + "l2")); // Redis 7.0's list encoding
        assertNull(r.objectEncoding(k + "missing"));
        assertTrue(r.slowlogLen() >= 0);
        assertEquals("master", ((io.respin.engine.resp.Reply.Aggregate) r.role()).get(0).asString());
        byte[] dumped = r.dump(k + "s1");
        assertEquals("OK", r.restore(k + "s3", Duration.ZERO, dumped, false));
        assertEquals("ohmytext", r.get(k + "s3"));
        assertEquals("OK", r.restore(k + "s3", Duration.ofSeconds(100), dumped, true));
        assertTrue(r.ttl(k + "s3") > 0);
        assertNull(r.dump(k + "missing"));
        assertTrue(r.objectIdletime(k + "s3") >= 0);
        assertTrue(r.commandCount() > 200);
        assertEquals("default", r.aclWhoami());
        assertEquals("OK", r.hmset(k + "h", Map.of("f", "v")));
        assertEquals("v", r.hget(k + "h", "f"));
        r.zadd(k + "lx", new io.respin.engine.command.ZAddArgs(), Map.of("a", 0.0, "b", 0.0, "c", 0.0));
        assertEquals(List.of("c", "b"), r.zrevrangebylex(k + "lx", "[c", "(a"));
        assertEquals(1L, r.zremrangebylex(k + "lx", "[a", "[a"));
        r.zadd(k + "lx2", 0, "b");
        assertEquals(1L, r.zdiffstore(k + "ld", k + "lx", k + "lx2"));
        r.rpush(k + "srt", "3", "1", "2");
        assertEquals(List.of("1", "2", "3"), r.sort(k + "srt", false));
        r.rpush(k + "srta", "b", "a");
        assertEquals(List.of("a", "b"), r.sort(k + "srta", true));
        assertTrue(r.move(k + "srta", 5));
        assertEquals(0L, r.exists(k + "srta"));
        assertTrue(r.clientInfo().contains("id="));
        assertTrue(r.pubsubNumpat() >= 0);
        assertEquals("OK", r.slowlogReset());
        assertTrue(r.slowlogGet(10) instanceof io.respin.engine.resp.Reply.Aggregate);
        assertTrue(r.functionList() instanceof io.respin.engine.resp.Reply.Aggregate);
        var notBusy = org.junit.jupiter.api.Assertions.assertThrows(io.respin.RedisServerException.class, r::scriptKill);
        assertEquals("NOTBUSY", notBusy.prefix());
        r.xadd(k + "x", new io.respin.engine.command.XAddArgs().id("5-0"), Map.of("f", "v"));
        assertEquals("OK", r.xsetid(k + "x", "10-0"));
        r.del(k + "h", k + "lx", k + "lx2", k + "ld", k + "srt", k + "x");
        r.del(k + "s3");
        r.del(k, k + "2", k + "b1", k + "b2", k + "bd", k + "l", k + "l2", k + "s1", k + "s2");
    }
}
