package io.respin.engine.command;

import java.util.Map;
import io.respin.engine.resp.Reply;
import java.util.List;

/**
 * Lua scripts (EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH) and functions (FUNCTION LOAD/DELETE/FLUSH, FCALL,
 * FCALL_RO). Script replies can be of any shape, so they come back as a generic {@link Reply}.
 *
 * <pre>{@code
 * Command<Reply> r = new ScriptingCommands<>(Codec.utf8()).eval("return ARGV[1]", List.of(), List.of("hi"));
 * }</pre>
 */
public final class ScriptingCommands<K, V> extends Family<K, V> {

    public ScriptingCommands(Codec<K, V> codec) {
        super(codec);
    }

    ScriptingCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    public Command<Reply> eval(String script, List<K> keys, List<V> args) {
        return call("EVAL", "script", script, keys, args);
    }

    public Command<Reply> evalsha(String sha1, List<K> keys, List<V> args) {
        return call("EVALSHA", "sha1", sha1, keys, args);
    }

    public Command<Reply> evalRo(String script, List<K> keys, List<V> args) {
        return call("EVAL_RO", "script", script, keys, args);
    }

    public Command<Reply> evalshaRo(String sha1, List<K> keys, List<V> args) {
        return call("EVALSHA_RO", "sha1", sha1, keys, args);
    }

    /** FCALL function numkeys key... arg... */
    public Command<Reply> fcall(String function, List<K> keys, List<V> args) {
        return call("FCALL", "function", function, keys, args);
    }

    public Command<Reply> fcallRo(String function, List<K> keys, List<V> args) {
        return call("FCALL_RO", "function", function, keys, args);
    }

    private Command<Reply> call(String name, String targetName, String target, List<K> keys, List<V> args) {
        nonNull(name, targetName, target);
        noNulls(name, "keys", keys);
        noNulls(name, "args", args);
        return cmd(name, w -> {
            w.array(3 + keys.size() + args.size()).arg(name).arg(target).arg(keys.size());
            keys.forEach(k -> codec.writeKey(w, k));
            args.forEach(a -> codec.writeValue(w, a));
        }, Decoders.reply()).weigh(weight(args));
    }

    /** SCRIPT LOAD: the script's SHA1. */
    public Command<String> scriptLoad(String script) {
        nonNull("SCRIPT LOAD", "script", script);
        return cmd("SCRIPT LOAD", w -> w.array(3).arg("SCRIPT").arg("LOAD").arg(script), Decoders.utf8());
    }

    public Command<List<Boolean>> scriptExists(String... sha1s) {
        noNulls("SCRIPT EXISTS", "sha1s", sha1s);
        return cmd("SCRIPT EXISTS", w -> {
            w.array(2 + sha1s.length).arg("SCRIPT").arg("EXISTS");
            for (String s : sha1s) {
                w.arg(s);
            }
        }, Decoders.list(bool()));
    }

    public Command<String> scriptFlush() {
        return cmd("SCRIPT FLUSH", w -> w.array(2).arg("SCRIPT").arg("FLUSH"), status());
    }

    /** SCRIPT KILL: stops the running read-only script (fails with NOTBUSY when none runs). */
    public Command<String> scriptKill() {
        return cmd("SCRIPT KILL", w -> w.array(2).arg("SCRIPT").arg("KILL"), status());
    }

    /** FUNCTION LIST: the libraries and their functions, as a generic reply. */
    public Command<Reply> functionList() {
        return cmd("FUNCTION LIST", w -> w.array(2).arg("FUNCTION").arg("LIST"), Decoders.reply());
    }

    public Command<String> functionKill() {
        return cmd("FUNCTION KILL", w -> w.array(2).arg("FUNCTION").arg("KILL"), status());
    }

    /** FUNCTION LOAD [REPLACE] code: the library's name. */
    public Command<String> functionLoad(String code, boolean replace) {
        nonNull("FUNCTION LOAD", "code", code);
        return cmd("FUNCTION LOAD", w -> {
            w.array(replace ? 4 : 3).arg("FUNCTION").arg("LOAD");
            if (replace) {
                w.arg("REPLACE");
            }
            w.arg(code);
        }, Decoders.utf8());
    }

    public Command<String> functionDelete(String library) {
        nonNull("FUNCTION DELETE", "library", library);
        return cmd("FUNCTION DELETE", w -> w.array(3).arg("FUNCTION").arg("DELETE").arg(library), status());
    }

    public Command<String> functionFlush() {
        return cmd("FUNCTION FLUSH", w -> w.array(2).arg("FUNCTION").arg("FLUSH"), status());
    }
    /** FUNCTION DUMP: every loaded library as an opaque binary payload for {@link #functionRestore}. */
    public Command<byte[]> functionDump() {
        return cmd("FUNCTION DUMP", w -> w.array(2).arg("FUNCTION").arg("DUMP"), Decoders.value(Codec.bytes()));
    }

    /** FUNCTION RESTORE payload policy: loads a dump; policy is "APPEND" (the default), "REPLACE" or "FLUSH". */
    public Command<String> functionRestore(byte[] payload, String policy) {
        nonNull("FUNCTION RESTORE", "payload", payload, "policy", policy);
        return cmd("FUNCTION RESTORE", w -> w.array(4).arg("FUNCTION").arg("RESTORE").arg(payload).arg(policy),
                status());
    }

    /** FUNCTION STATS: "running_script" (null when idle) and "engines" (libraries and functions per engine). */
    public Command<Map<String, Reply>> functionStats() {
        return cmd("FUNCTION STATS", w -> w.array(2).arg("FUNCTION").arg("STATS"),
                Decoders.map(Decoders.utf8(), Decoders.reply()));
    }
}
