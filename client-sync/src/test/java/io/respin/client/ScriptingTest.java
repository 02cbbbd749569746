package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.engine.command.Script;
import io.respin.engine.resp.Reply;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lua scripts with the EVALSHA → NOSCRIPT → EVAL fallback, and functions (FUNCTION LOAD, FCALL, FCALL_RO). */
class ScriptingTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scriptFallsBackToEvalWhenNotLoadedThenUsesEvalsha(int resp) {
        var r = Redis.client(resp).sync();
        String k = "lua:" + resp;
        r.del(k);
        Script incr = Script.of("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        r.scriptFlush();
        assertEquals(List.of(false), r.scriptExists(incr.sha1()));
        long before = evalsha(r);
        assertEquals(5L, ((Reply.Int) r.evalScript(incr, List.of(k), List.of("5"))).value());
        assertEquals(before + 1, evalsha(r), "tried EVALSHA first");
        assertEquals(List.of(true), r.scriptExists(incr.sha1()), "EVAL loaded it");
        assertEquals(10L, ((Reply.Int) r.evalScript(incr, List.of(k), List.of("5"))).value());
        assertEquals(before + 2, evalsha(r));
        assertEquals(incr.sha1(), r.scriptLoad(incr.lua()), "our SHA1 is the server's");
        // the async twin falls back the same way
        r.scriptFlush();
        Reply viaAsync = Redis.client(resp).async().evalScript(incr, List.of(k), List.of("1")).join();
        assertEquals(11L, ((Reply.Int) viaAsync).value());
        // a script error is a server error with the server's words, not a fallback
        var e = assertThrows(RedisServerException.class,
                () -> r.evalScript(Script.of("return redis.call('NOSUCH')"), List.of(), List.of()));
        assertTrue(e.getMessage().contains("Unknown Redis command"), e.getMessage());
        Reply table = r.eval("return {1, 'two', {3}}", List.of(), List.of());
        assertEquals(3, ((Reply.Aggregate) table).size());
        r.del(k);
    }

    private static long evalsha(io.respin.client.sync.RedisCommands<String, String> r) {
        String line = r.info("commandstats").getOrDefault("cmdstat_evalsha", "calls=0,");
        return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void functions(int resp) {
        var r = Redis.client(resp).sync();
        String lib = "#!lua name=respin" + resp + "\n"
                + "redis.register_function('hello" + resp + "', function(keys, args) return 'hello ' .. args[1] end)\n"
                + "redis.register_function{function_name='peek" + resp + "', callback=function(keys, args) "
                + "return redis.call('GET', keys[1]) end, flags={'no-writes'}}";
        assertEquals("respin" + resp, r.functionLoad(lib, true));
        assertEquals("hello you", r.fcall("hello" + resp, List.of(), List.of("you")).asString());
        r.set("fn:" + resp, "v");
        assertEquals("v", r.fcallRo("peek" + resp, List.of("fn:" + resp), List.of()).asString());
        var e = assertThrows(RedisServerException.class, () -> r.functionLoad(lib, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("OK", r.functionDelete("respin" + resp));
        r.del("fn:" + resp);
    }
}
