package io.respin.engine.command;

import io.respin.engine.resp.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server and connection commands, plus the generic {@link #execute} for every command without a typed method
 * (which {@code GenericCommand} recognises: its kind, whether it blocks and for how long, whether it only reads).
 *
 * <pre>{@code
 * Command<Map<String, String>> info = new ServerCommands<>(Codec.utf8()).info("server");
 * }</pre>
 */
public final class ServerCommands<K, V> extends Family<K, V> {

    public ServerCommands(Codec<K, V> codec) {
        super(codec);
    }

    ServerCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    public Command<String> ping() {
        return cmd("PING", w -> w.array(1).arg("PING"), status());
    }

    public Command<V> echo(V message) {
        nonNull("ECHO", "message", message);
        return cmd("ECHO", w -> codec.writeValue(w.array(2).arg("ECHO"), message), value()).weigh(weight(message));
    }

    /** INFO (default sections) as a flat map: "redis_version" → "7.0.15", ... */
    public Command<Map<String, String>> info() {
        return cmd("INFO", w -> w.array(1).arg("INFO"), Decoders.info());
    }

    public Command<Map<String, String>> info(String section) {
        nonNull("INFO", "section", section);
        return cmd("INFO", w -> w.array(2).arg("INFO").arg(section), Decoders.info());
    }

    /** CONFIG GET pattern: parameter → value (RESP2 flat array and RESP3 map alike). */
    public Command<Map<String, String>> configGet(String pattern) {
        nonNull("CONFIG GET", "pattern", pattern);
        return cmd("CONFIG GET", w -> w.array(3).arg("CONFIG").arg("GET").arg(pattern),
                Decoders.map(Decoders.utf8(), Decoders.utf8()));
    }

    public Command<String> configSet(String parameter, String value) {
        nonNull("CONFIG SET", "parameter", parameter, "value", value);
        return cmd("CONFIG SET", w -> w.array(4).arg("CONFIG").arg("SET").arg(parameter).arg(value),
                status());
    }

    public Command<String> configResetstat() {
        return cmd("CONFIG RESETSTAT", w -> w.array(2).arg("CONFIG").arg("RESETSTAT"), status());
    }

    public Command<Long> dbsize() {
        return cmd("DBSIZE", w -> w.array(1).arg("DBSIZE"), integer());
    }

    public Command<String> flushdb() {
        return cmd("FLUSHDB", w -> w.array(1).arg("FLUSHDB"), status());
    }

    public Command<String> flushall() {
        return cmd("FLUSHALL", w -> w.array(1).arg("FLUSHALL"), status());
    }

    /** TIME as an Instant with microsecond precision. */
    public Command<Instant> time() {
        return cmd("TIME", w -> w.array(1).arg("TIME"), Decoders.time());
    }

    public Command<Long> lastsave() {
        return cmd("LASTSAVE", w -> w.array(1).arg("LASTSAVE"), integer());
    }

    public Command<Long> clientId() {
        return cmd("CLIENT ID", w -> w.array(2).arg("CLIENT").arg("ID"), integer());
    }

    public Command<String> clientGetname() {
        return cmd("CLIENT GETNAME", w -> w.array(2).arg("CLIENT").arg("GETNAME"), Decoders.utf8());
    }

    public Command<String> clientSetname(String name) {
        nonNull("CLIENT SETNAME", "name", name);
        return cmd("CLIENT SETNAME", w -> w.array(3).arg("CLIENT").arg("SETNAME").arg(name), status());
    }

    /** CLIENT LIST as the server's text, one client per line. */
    public Command<String> clientList() {
        return cmd("CLIENT LIST", w -> w.array(2).arg("CLIENT").arg("LIST"), status());
    }

    public Command<Long> clientKill(String addr) {
        nonNull("CLIENT KILL", "addr", addr);
        return cmd("CLIENT KILL", w -> w.array(4).arg("CLIENT").arg("KILL").arg("ADDR").arg(addr), integer());
    }

    /** WAIT numreplicas timeout-ms: replicas that acknowledged. Blocks on the server. */
    public Command<Long> waitReplicas(long replicas, long timeoutMillis) {
        return cmd("WAIT", w -> w.array(3).arg("WAIT").arg(replicas).arg(timeoutMillis), integer())
                .blocking(java.time.Duration.ofMillis(timeoutMillis));
    }

    /** MEMORY USAGE key: bytes, null when the key does not exist. */
    public Command<Long> memoryUsage(K key) {
        nonNull("MEMORY USAGE", "key", key);
        return cmd("MEMORY USAGE", w -> codec.writeKey(w.array(3).arg("MEMORY").arg("USAGE"), key),
                integer());
    }

    /** PUBLISH channel message: the number of subscribers that received it. */
    public Command<Long> publish(String channel, V message) {
        nonNull("PUBLISH", "channel", channel, "message", message);
        return cmd("PUBLISH", w -> codec.writeValue(w.array(3).arg("PUBLISH").arg(channel), message), integer()).weigh(weight(message));
    }

    /** SPUBLISH shard-channel message (Redis 7). */
    public Command<Long> spublish(String channel, V message) {
        nonNull("SPUBLISH", "channel", channel, "message", message);
        return cmd("SPUBLISH", w -> codec.writeValue(w.array(3).arg("SPUBLISH").arg(channel), message),
                integer()).weigh(weight(message));
    }

    /** PUBSUB CHANNELS pattern: active channels matching the pattern. */
    public Command<List<String>> pubsubChannels(String pattern) {
        nonNull("PUBSUB CHANNELS", "pattern", pattern);
        return cmd("PUBSUB CHANNELS", w -> w.array(3).arg("PUBSUB").arg("CHANNELS").arg(pattern),
                Decoders.list(Decoders.utf8()));
    }

    /** PUBSUB NUMSUB channel...: subscribers per channel. */
    public Command<Map<String, Long>> pubsubNumsub(String... channels) {
        noNulls("PUBSUB NUMSUB", "channels", channels);
        return cmd("PUBSUB NUMSUB", w -> {
            w.array(2 + channels.length).arg("PUBSUB").arg("NUMSUB");
            for (String c : channels) {
                w.arg(c);
            }
        }, Decoders.map(Decoders.utf8(), integer()));
    }

    /** OBJECT ENCODING key: "int", "embstr", "listpack", ...; null when the key does not exist. */
    public Command<String> objectEncoding(K key) {
        nonNull("OBJECT ENCODING", "key", key);
        return cmd("OBJECT ENCODING", w -> codec.writeKey(w.array(3).arg("OBJECT").arg("ENCODING"), key),
                Decoders.utf8());
    }

    /** COMMAND COUNT: how many commands the server knows. */
    public Command<Long> commandCount() {
        return cmd("COMMAND COUNT", w -> w.array(2).arg("COMMAND").arg("COUNT"), integer());
    }

    /** ACL WHOAMI: the user this connection is logged in as. */
    public Command<String> aclWhoami() {
        return cmd("ACL WHOAMI", w -> w.array(2).arg("ACL").arg("WHOAMI"), Decoders.utf8());
    }

    /** CLIENT INFO: this connection's line of CLIENT LIST. */
    public Command<String> clientInfo() {
        return cmd("CLIENT INFO", w -> w.array(2).arg("CLIENT").arg("INFO"), Decoders.utf8());
    }

    /** CLIENT PAUSE ms [WRITE|ALL]: stops serving clients (all, or only writes) for a while. */
    public Command<String> clientPause(long millis, boolean writesOnly) {
        return cmd("CLIENT PAUSE", w -> w.array(4).arg("CLIENT").arg("PAUSE").arg(millis).arg(writesOnly ? "WRITE" : "ALL"),
                status());
    }

    public Command<String> clientUnpause() {
        return cmd("CLIENT UNPAUSE", w -> w.array(2).arg("CLIENT").arg("UNPAUSE"), status());
    }

    /** PUBSUB NUMPAT: patterns subscribed by all clients. */
    public Command<Long> pubsubNumpat() {
        return cmd("PUBSUB NUMPAT", w -> w.array(2).arg("PUBSUB").arg("NUMPAT"), integer());
    }

    /** SLOWLOG GET n as a generic reply (id, time, duration, arguments, client per entry). */
    public Command<Reply> slowlogGet(long count) {
        return cmd("SLOWLOG GET", w -> w.array(3).arg("SLOWLOG").arg("GET").arg(count), Decoders.reply());
    }

    public Command<String> slowlogReset() {
        return cmd("SLOWLOG RESET", w -> w.array(2).arg("SLOWLOG").arg("RESET"), status());
    }

    /** BGSAVE: starts a background save; the server's status text. */
    public Command<String> bgsave() {
        return cmd("BGSAVE", w -> w.array(1).arg("BGSAVE"), status());
    }

    /** SLOWLOG LEN. */
    public Command<Long> slowlogLen() {
        return cmd("SLOWLOG LEN", w -> w.array(2).arg("SLOWLOG").arg("LEN"), integer());
    }

    /** ROLE as a generic reply ("master"/"slave"/"sentinel" and its details). */
    public Command<Reply> role() {
        return cmd("ROLE", w -> w.array(1).arg("ROLE"), Decoders.reply());
    }

    /**
     * Any command, as strings (UTF-8): the reply as a generic tree. Blocking commands (BLPOP, XREAD BLOCK, WAIT...)
     * are recognised by name and marked {@link Command#blocking()}, and SUBSCRIBE, MULTI and friends get their
     * {@link io.respin.engine.connection.CommandKind}, so that the transport routes them as it routes the typed ones.
     * A null argument throws {@code NullPointerException("GET: args[1] is null")} here, before anything is sent.
     */
    public Command<Reply> execute(String... args) {
        return GenericCommand.of(args);
    }

    /** Any command, as raw byte arguments (see {@link #execute(String...)}). */
    public Command<Reply> execute(byte[]... args) {
        return GenericCommand.of(args);
    }

    /** COMMAND DOCS' names, for coverage reports: every command the server knows, lower case. */
    public Command<List<String>> commandNames() {
        return cmd("COMMAND LIST", w -> w.array(2).arg("COMMAND").arg("LIST"), Decoders.list(Decoders.utf8()));
    }
    /** PUBSUB SHARDCHANNELS pattern: active shard channels matching the pattern (Redis 7). */
    public Command<List<String>> pubsubShardchannels(String pattern) {
        nonNull("PUBSUB SHARDCHANNELS", "pattern", pattern);
        return cmd("PUBSUB SHARDCHANNELS", w -> w.array(3).arg("PUBSUB").arg("SHARDCHANNELS").arg(pattern),
                Decoders.list(Decoders.utf8()));
    }

    /** PUBSUB SHARDNUMSUB channel...: subscribers per shard channel. */
    public Command<Map<String, Long>> pubsubShardnumsub(String... channels) {
        noNulls("PUBSUB SHARDNUMSUB", "channels", channels);
        return cmd("PUBSUB SHARDNUMSUB", w -> {
            w.array(2 + channels.length).arg("PUBSUB").arg("SHARDNUMSUB");
            for (String c : channels) {
                w.arg(c);
            }
        }, Decoders.map(Decoders.utf8(), integer()));
    }

    /** CLIENT NO-EVICT ON|OFF: exempts this connection from client eviction (maxmemory-clients). */
    public Command<String> clientNoEvict(boolean on) {
        return cmd("CLIENT NO-EVICT", w -> w.array(3).arg("CLIENT").arg("NO-EVICT").arg(on ? "ON" : "OFF"),
                status());
    }

    /** CLIENT TRACKINGINFO: this connection's client-side caching state ("flags", "redirect", "prefixes"). */
    public Command<Map<String, Reply>> clientTrackinginfo() {
        return cmd("CLIENT TRACKINGINFO", w -> w.array(2).arg("CLIENT").arg("TRACKINGINFO"),
                Decoders.map(Decoders.utf8(), Decoders.reply()));
    }

    /** CLIENT GETREDIR: the client id tracking invalidations are redirected to; -1 when tracking is off. */
    public Command<Long> clientGetredir() {
        return cmd("CLIENT GETREDIR", w -> w.array(2).arg("CLIENT").arg("GETREDIR"), integer());
    }

    /**
     * CLIENT UNBLOCK id [ERROR]: wakes a client blocked in BLPOP, XREAD BLOCK...; it gets a timeout answer, or an
     * UNBLOCKED error with {@code error}. True if that client was blocked.
     */
    public Command<Boolean> clientUnblock(long clientId, boolean error) {
        return cmd("CLIENT UNBLOCK", w -> {
            w.array(error ? 4 : 3).arg("CLIENT").arg("UNBLOCK").arg(clientId);
            if (error) {
                w.arg("ERROR");
            }
        }, bool());
    }

    /** ACL LIST: every user as an ACL rule line ("user default on nopass ~* &* +@all"). */
    public Command<List<String>> aclList() {
        return cmd("ACL LIST", w -> w.array(2).arg("ACL").arg("LIST"), Decoders.list(Decoders.utf8()));
    }

    /** ACL USERS: the user names. */
    public Command<List<String>> aclUsers() {
        return cmd("ACL USERS", w -> w.array(2).arg("ACL").arg("USERS"), Decoders.list(Decoders.utf8()));
    }

    /** ACL GETUSER name: the user's "flags", "passwords", "commands", "keys", ...; null for no such user. */
    public Command<Map<String, Reply>> aclGetuser(String user) {
        nonNull("ACL GETUSER", "user", user);
        return cmd("ACL GETUSER", w -> w.array(3).arg("ACL").arg("GETUSER").arg(user),
                Decoders.map(Decoders.utf8(), Decoders.reply()));
    }

    /** ACL SETUSER name rule...: creates or changes a user ({@code "on", ">secret", "~cache:*", "+get"}). */
    public Command<String> aclSetuser(String user, String... rules) {
        nonNull("ACL SETUSER", "user", user);
        noNulls("ACL SETUSER", "rules", rules);
        return cmd("ACL SETUSER", w -> {
            w.array(3 + rules.length).arg("ACL").arg("SETUSER").arg(user);
            for (String r : rules) {
                w.arg(r);
            }
        }, status());
    }

    /** ACL DELUSER name...: how many users were deleted. */
    public Command<Long> aclDeluser(String... users) {
        noNulls("ACL DELUSER", "users", users);
        return cmd("ACL DELUSER", w -> {
            w.array(2 + users.length).arg("ACL").arg("DELUSER");
            for (String u : users) {
                w.arg(u);
            }
        }, integer());
    }

    /** ACL CAT: the command categories ("keyspace", "read", "write", ...). */
    public Command<List<String>> aclCat() {
        return cmd("ACL CAT", w -> w.array(2).arg("ACL").arg("CAT"), Decoders.list(Decoders.utf8()));
    }

    /** ACL CAT category: the commands in one category. */
    public Command<List<String>> aclCat(String category) {
        nonNull("ACL CAT", "category", category);
        return cmd("ACL CAT", w -> w.array(3).arg("ACL").arg("CAT").arg(category), Decoders.list(Decoders.utf8()));
    }

    /** ACL GENPASS: a 256-bit random password as 64 hex characters, from the server's secure random source. */
    public Command<String> aclGenpass() {
        return cmd("ACL GENPASS", w -> w.array(2).arg("ACL").arg("GENPASS"), Decoders.utf8());
    }

    /** ACL LOG count: the latest security events (denied commands, keys, failed logins), newest first. */
    public Command<List<Map<String, Reply>>> aclLog(long count) {
        return cmd("ACL LOG", w -> w.array(3).arg("ACL").arg("LOG").arg(count),
                Decoders.list(Decoders.map(Decoders.utf8(), Decoders.reply())));
    }

    /** ACL LOG RESET: empties the security log. */
    public Command<String> aclLogReset() {
        return cmd("ACL LOG", w -> w.array(3).arg("ACL").arg("LOG").arg("RESET"), status());
    }

    /** ACL DRYRUN user command arg...: "OK" if the user may run it, else the reason it would be refused. */
    public Command<String> aclDryrun(String user, String... command) {
        nonNull("ACL DRYRUN", "user", user);
        noNulls("ACL DRYRUN", "command", command);
        return cmd("ACL DRYRUN", w -> {
            w.array(3 + command.length).arg("ACL").arg("DRYRUN").arg(user);
            for (String a : command) {
                w.arg(a);
            }
        }, Decoders.utf8());
    }

    /** MEMORY STATS: the server's memory breakdown ("peak.allocated", "dataset.bytes", "keys.count", ...). */
    public Command<Map<String, Reply>> memoryStats() {
        return cmd("MEMORY STATS", w -> w.array(2).arg("MEMORY").arg("STATS"),
                Decoders.map(Decoders.utf8(), Decoders.reply()));
    }

    /** MEMORY DOCTOR: the server's advice on its memory use, as text. */
    public Command<String> memoryDoctor() {
        return cmd("MEMORY DOCTOR", w -> w.array(2).arg("MEMORY").arg("DOCTOR"), Decoders.utf8());
    }

    /** MEMORY MALLOC-STATS: the allocator's internal statistics, as text. */
    public Command<String> memoryMallocStats() {
        return cmd("MEMORY MALLOC-STATS", w -> w.array(2).arg("MEMORY").arg("MALLOC-STATS"), Decoders.utf8());
    }

    /** MEMORY PURGE: asks the allocator to release dirty pages. */
    public Command<String> memoryPurge() {
        return cmd("MEMORY PURGE", w -> w.array(2).arg("MEMORY").arg("PURGE"), status());
    }

    /** LATENCY LATEST: per event, [name, unix time of the latest spike, its ms, the all-time max ms]. */
    public Command<Reply> latencyLatest() {
        return cmd("LATENCY LATEST", w -> w.array(2).arg("LATENCY").arg("LATEST"), Decoders.reply());
    }

    /** LATENCY HISTORY event: [unix time, ms] samples of one event. */
    public Command<Reply> latencyHistory(String event) {
        nonNull("LATENCY HISTORY", "event", event);
        return cmd("LATENCY HISTORY", w -> w.array(3).arg("LATENCY").arg("HISTORY").arg(event), Decoders.reply());
    }

    /** LATENCY RESET [event...]: clears the latency samples (all events when none is named); how many were reset. */
    public Command<Long> latencyReset(String... events) {
        noNulls("LATENCY RESET", "events", events);
        return cmd("LATENCY RESET", w -> {
            w.array(2 + events.length).arg("LATENCY").arg("RESET");
            for (String e : events) {
                w.arg(e);
            }
        }, integer());
    }

    /** LATENCY DOCTOR: the server's analysis of its latency samples, as text. */
    public Command<String> latencyDoctor() {
        return cmd("LATENCY DOCTOR", w -> w.array(2).arg("LATENCY").arg("DOCTOR"), Decoders.utf8());
    }

    /** LATENCY HISTOGRAM [command...]: per command, its call count and latency histogram. */
    public Command<Reply> latencyHistogram(String... commandNames) {
        noNulls("LATENCY HISTOGRAM", "commandNames", commandNames);
        return cmd("LATENCY HISTOGRAM", w -> {
            w.array(2 + commandNames.length).arg("LATENCY").arg("HISTOGRAM");
            for (String c : commandNames) {
                w.arg(c);
            }
        }, Decoders.reply());
    }

    /** COMMAND GETKEYS command arg...: which of the arguments the server takes for keys. */
    public Command<List<String>> commandGetkeys(String... command) {
        noNulls("COMMAND GETKEYS", "command", command);
        return cmd("COMMAND GETKEYS", w -> {
            w.array(2 + command.length).arg("COMMAND").arg("GETKEYS");
            for (String a : command) {
                w.arg(a);
            }
        }, Decoders.list(Decoders.utf8()));
    }

    /** COMMAND INFO name...: the server's description of commands (arity, flags, key positions...). */
    public Command<Reply> commandInfo(String... names) {
        noNulls("COMMAND INFO", "names", names);
        return cmd("COMMAND INFO", w -> {
            w.array(2 + names.length).arg("COMMAND").arg("INFO");
            for (String n : names) {
                w.arg(n);
            }
        }, Decoders.reply());
    }

    /** COMMAND DOCS name...: the documentation of commands, name → its fields. */
    public Command<Map<String, Reply>> commandDocs(String... names) {
        noNulls("COMMAND DOCS", "names", names);
        return cmd("COMMAND DOCS", w -> {
            w.array(2 + names.length).arg("COMMAND").arg("DOCS");
            for (String n : names) {
                w.arg(n);
            }
        }, Decoders.map(Decoders.utf8(), Decoders.reply()));
    }

    /** SWAPDB a b: swaps two databases at once (clients see the other data set immediately). */
    public Command<String> swapdb(long a, long b) {
        return cmd("SWAPDB", w -> w.array(3).arg("SWAPDB").arg(a).arg(b), status());
    }

    /** BGREWRITEAOF: starts rewriting the append-only file; the server's status text. */
    public Command<String> bgrewriteaof() {
        return cmd("BGREWRITEAOF", w -> w.array(1).arg("BGREWRITEAOF"), status());
    }

    /** SAVE: a synchronous snapshot; blocks the whole server while it writes (prefer BGSAVE). */
    public Command<String> save() {
        return cmd("SAVE", w -> w.array(1).arg("SAVE"), status());
    }

    /** REPLICAOF NO ONE: turns a replica into a master (a master answers OK and stays one). */
    public Command<String> replicaofNoOne() {
        return cmd("REPLICAOF", w -> w.array(3).arg("REPLICAOF").arg("NO").arg("ONE"), status());
    }

    /** MODULE LIST: the loaded modules, each with "name", "ver", "path", "args". */
    public Command<List<Map<String, Reply>>> moduleList() {
        return cmd("MODULE LIST", w -> w.array(2).arg("MODULE").arg("LIST"),
                Decoders.list(Decoders.map(Decoders.utf8(), Decoders.reply())));
    }

    /** LOLWUT: the server's version art. */
    public Command<String> lolwut() {
        return cmd("LOLWUT", w -> w.array(1).arg("LOLWUT"), Decoders.utf8());
    }
}
