package io.respin.engine.command;

import java.util.Locale;
import java.util.Set;

/**
 * The commands the server flags {@code readonly} ({@code COMMAND INFO}'s flags, Redis 7.0): they read and never
 * write, so a transport may send one again when the connection it went out on dropped before its reply — the
 * outcome of running it twice is the outcome of running it once. Subcommands are named with a space
 * ({@code "OBJECT ENCODING"}), as {@link Command#name()} names them. {@code ReadOnlyCommandsTest} checks this table
 * against a live server's {@code COMMAND}, so that it follows the server's flags rather than anyone's guess.
 *
 * <pre>{@code
 * ReadOnlyCommands.contains("GET");     // true
 * ReadOnlyCommands.contains("INCR");    // false
 * }</pre>
 */
public final class ReadOnlyCommands {

    private static final Set<String> NAMES = Set.of(
           "BITCOUNT", "BITFIELD_RO", "BITPOS", "DBSIZE", "DUMP", "EVALSHA_RO", "EVAL_RO", "EXISTS", "EXPIRETIME",
           "FCALL_RO", "GEODIST", "GEOHASH", "GEOPOS", "GEORADIUSBYMEMBER_RO", "GEORADIUS_RO", "GEOSEARCH", "GET",
           "GETBIT", "GETRANGE", "HEXISTS", "HGET", "HGETALL", "HKEYS", "HLEN", "HMGET", "HRANDFIELD", "HSCAN",
           "HSTRLEN", "HVALS", "KEYS", "LCS", "LINDEX", "LLEN", "LOLWUT", "LPOS", "LRANGE", "MEMORY USAGE", "MGET",
           "OBJECT ENCODING", "OBJECT FREQ", "OBJECT IDLETIME", "OBJECT REFCOUNT", "PEXPIRETIME", "PFCOUNT", "PTTL",
           "RANDOMKEY", "SCAN", "SCARD", "SDIFF", "SINTER", "SINTERCARD", "SISMEMBER", "SMEMBERS", "SMISMEMBER",
           "SORT_RO", "SRANDMEMBER", "SSCAN", "STRLEN", "SUBSTR", "SUNION", "TOUCH", "TTL", "TYPE",
           "XINFO CONSUMERS", "XINFO GROUPS", "XINFO STREAM", "XLEN", "XPENDING", "XRANGE", "XREAD", "XREVRANGE",
           "ZCARD", "ZCOUNT", "ZDIFF", "ZINTER", "ZINTERCARD", "ZLEXCOUNT", "ZMSCORE", "ZRANDMEMBER", "ZRANGE",
           "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREVRANGE", "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK",
           "ZSCAN", "ZSCORE", "ZUNION");

    /** The subcommands the table names with a space, for {@link #of(String, String)}. */
    private static final Set<String> CONTAINERS = Set.of("MEMORY", "OBJECT", "XINFO");

    private ReadOnlyCommands() {
    }

    /** True when the server flags {@code name} (upper case, subcommands after a space) read-only. */
    public static boolean contains(String name) {
        return NAMES.contains(name);
    }

    /**
     * For a command given as its arguments (as {@code execute("OBJECT", "ENCODING", key)} is): the name and, for
     * the container commands, its first argument as the subcommand; any case.
     */
    public static boolean of(String name, String firstArgument) {
        String n = name.toUpperCase(Locale.ROOT);
        if (CONTAINERS.contains(n)) {
            return firstArgument != null && NAMES.contains(n + " " + firstArgument.toUpperCase(Locale.ROOT));
        }
        return NAMES.contains(n);
    }

    /** Every name in the table (for tests and tools). */
    public static Set<String> all() {
        return NAMES;
    }
}
