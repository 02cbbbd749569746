package io.respin.engine.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which arguments of a command are keys, so that a cluster router can find a command's slot without asking the
 * server: every command and subcommand of Redis 7.0 (and the newer ones respin's catalogue sends), as
 * {@code COMMAND INFO}'s (first, last, step) where that says it all, and by rule for the commands whose keys
 * move (a {@code numkeys} argument, a {@code STREAMS} or {@code STORE} keyword). For a name it does not know,
 * {@link #known} is false and the client asks the server once with {@code COMMAND GETKEYS}.
 *
 * <p>Arguments are the whole command, name first, as the server counts them: in {@code GET k} the key is
 * argument 1. A subcommand is named with a bar, as {@code COMMAND INFO} names it ({@code OBJECT|ENCODING}).
 * Arguments the server would refuse (a {@code numkeys} that is not a number, or counts past the end) give no
 * keys: the command may go to any node, and the server's error reaches the caller.
 *
 * <pre>{@code
 * List<byte[]> args = List.of(b("EVAL"), b("return 1"), b("2"), b("{u}:a"), b("{u}:b"), b("x"));
 * int[] keys = KeyPositions.keyIndexes(args);        // [3, 4]
 * boolean routable = KeyPositions.known("FCALL");   // true
 * }</pre>
 */
public final class KeyPositions {

    /** How keys are found: by position, or by one of the rules for movable keys. */
    private enum Rule {
        /** (first, last, step), last negative counting from the end; first 0: no keys. */
        RANGE,
        /** {@code numkeys} at argument {@code first}, that many keys after it (EVAL, ZUNION, LMPOP...). */
        NUMKEYS,
        /** A key at 1 (the destination), {@code numkeys} at 2, then the keys (ZUNIONSTORE...). */
        STORE_NUMKEYS,
        /** The first {@code STREAMS} from argument {@code first} on, then half of the rest are keys (XREAD). */
        STREAMS,
        /** The key at 1 and the last {@code STORE} destination, skipping LIMIT/GET/BY values (SORT). */
        SORT,
        /**
         * The key at 1, then the destination after the first {@code STORE} and the one after the first
         * {@code STOREDIST}, searched from argument {@code first} on (the server's key specs do the same).
         */
        GEORADIUS,
        /** The key at 3, or, when it is empty, the keys after {@code KEYS} (MIGRATE). */
        MIGRATE
    }

    private record Spec(Rule rule, int first, int last, int step) {
    }

    /**
     * The (first, last, step) of every command whose keys do not move, as redis-server 7.0 reports them
     * ({@code KeyPositionsRedisTest} checks this table against the server); {@code WAITAOF} is 7.2's.
     */
    private static final String RANGES = """
            1 -2 1:
                BLPOP BRPOP BZPOPMAX BZPOPMIN
            1 -1 1:
                DEL EXISTS MGET PFCOUNT PFMERGE SDIFF SDIFFSTORE SINTER SINTERSTORE SSUBSCRIBE SUNION SUNIONSTORE
                SUNSUBSCRIBE TOUCH UNLINK WATCH
            1 -1 2:
                MSET MSETNX
            1 1 1:
                APPEND BITCOUNT BITFIELD BITFIELD_RO BITPOS DECR DECRBY DUMP EXPIRE EXPIREAT EXPIRETIME GEOADD GEODIST
                GEOHASH GEOPOS GEORADIUSBYMEMBER_RO GEORADIUS_RO GEOSEARCH GET GETBIT GETDEL GETEX GETRANGE GETSET HDEL
                HEXISTS HGET HGETALL HINCRBY HINCRBYFLOAT HKEYS HLEN HMGET HMSET HRANDFIELD HSCAN HSET HSETNX HSTRLEN
                HVALS INCR INCRBY INCRBYFLOAT LINDEX LINSERT LLEN LPOP LPOS LPUSH LPUSHX LRANGE LREM LSET LTRIM MOVE
                PERSIST PEXPIRE PEXPIREAT PEXPIRETIME PFADD PSETEX PTTL RESTORE RESTORE-ASKING RPOP RPUSH RPUSHX SADD
                SCARD SET SETBIT SETEX SETNX SETRANGE SISMEMBER SMEMBERS SMISMEMBER SPOP SPUBLISH SRANDMEMBER SREM SSCAN
                STRLEN SUBSTR TTL TYPE XACK XADD XAUTOCLAIM XCLAIM XDEL XLEN XPENDING XRANGE XREVRANGE XSETID XTRIM ZADD
                ZCARD ZCOUNT ZINCRBY ZLEXCOUNT ZMSCORE ZPOPMAX ZPOPMIN ZRANDMEMBER ZRANGE ZRANGEBYLEX ZRANGEBYSCORE
                ZRANK ZREM ZREMRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREVRANGE ZREVRANGEBYLEX ZREVRANGEBYSCORE
                ZREVRANK ZSCAN ZSCORE
            1 2 1:
                BLMOVE BRPOPLPUSH COPY GEOSEARCHSTORE LCS LMOVE RENAME RENAMENX RPOPLPUSH SMOVE ZRANGESTORE
            2 -1 1:
                BITOP
            2 2 1:
                MEMORY|USAGE OBJECT|ENCODING OBJECT|FREQ OBJECT|IDLETIME OBJECT|REFCOUNT PFDEBUG XGROUP|CREATE
                XGROUP|CREATECONSUMER XGROUP|DELCONSUMER XGROUP|DESTROY XGROUP|SETID XINFO|CONSUMERS XINFO|GROUPS
                XINFO|STREAM
            0 0 0:
                ACL ACL|CAT ACL|DELUSER ACL|DRYRUN ACL|GENPASS ACL|GETUSER ACL|HELP ACL|LIST ACL|LOAD ACL|LOG ACL|SAVE
                ACL|SETUSER ACL|USERS ACL|WHOAMI ASKING AUTH BGREWRITEAOF BGSAVE CLIENT CLIENT|CACHING CLIENT|GETNAME
                CLIENT|GETREDIR CLIENT|HELP CLIENT|ID CLIENT|INFO CLIENT|KILL CLIENT|LIST CLIENT|NO-EVICT CLIENT|PAUSE
                CLIENT|REPLY CLIENT|SETNAME CLIENT|TRACKING CLIENT|TRACKINGINFO CLIENT|UNBLOCK CLIENT|UNPAUSE CLUSTER
                CLUSTER|ADDSLOTS CLUSTER|ADDSLOTSRANGE CLUSTER|BUMPEPOCH CLUSTER|COUNT-FAILURE-REPORTS
                CLUSTER|COUNTKEYSINSLOT CLUSTER|DELSLOTS CLUSTER|DELSLOTSRANGE CLUSTER|FAILOVER CLUSTER|FLUSHSLOTS
                CLUSTER|FORGET CLUSTER|GETKEYSINSLOT CLUSTER|HELP CLUSTER|INFO CLUSTER|KEYSLOT CLUSTER|LINKS
                CLUSTER|MEET CLUSTER|MYID CLUSTER|NODES CLUSTER|REPLICAS CLUSTER|REPLICATE CLUSTER|RESET
                CLUSTER|SAVECONFIG CLUSTER|SET-CONFIG-EPOCH CLUSTER|SETSLOT CLUSTER|SHARDS CLUSTER|SLAVES CLUSTER|SLOTS
                COMMAND COMMAND|COUNT COMMAND|DOCS COMMAND|GETKEYS COMMAND|GETKEYSANDFLAGS COMMAND|HELP COMMAND|INFO
                COMMAND|LIST CONFIG CONFIG|GET CONFIG|HELP CONFIG|RESETSTAT CONFIG|REWRITE CONFIG|SET DBSIZE DEBUG
                DISCARD ECHO EXEC FAILOVER FLUSHALL FLUSHDB FUNCTION FUNCTION|DELETE FUNCTION|DUMP FUNCTION|FLUSH
                FUNCTION|HELP FUNCTION|KILL FUNCTION|LIST FUNCTION|LOAD FUNCTION|RESTORE FUNCTION|STATS HELLO INFO KEYS
                LASTSAVE LATENCY LATENCY|DOCTOR LATENCY|GRAPH LATENCY|HELP LATENCY|HISTOGRAM LATENCY|HISTORY
                LATENCY|LATEST LATENCY|RESET LOLWUT MEMORY MEMORY|DOCTOR MEMORY|HELP MEMORY|MALLOC-STATS MEMORY|PURGE
                MEMORY|STATS MODULE MODULE|HELP MODULE|LIST MODULE|LOAD MODULE|LOADEX MODULE|UNLOAD MONITOR MULTI OBJECT
                OBJECT|HELP PFSELFTEST PING PSUBSCRIBE PSYNC PUBLISH PUBSUB PUBSUB|CHANNELS PUBSUB|HELP PUBSUB|NUMPAT
                PUBSUB|NUMSUB PUBSUB|SHARDCHANNELS PUBSUB|SHARDNUMSUB PUNSUBSCRIBE QUIT RANDOMKEY READONLY READWRITE
                REPLCONF REPLICAOF RESET ROLE SAVE SCAN SCRIPT SCRIPT|DEBUG SCRIPT|EXISTS SCRIPT|FLUSH SCRIPT|HELP
                SCRIPT|KILL SCRIPT|LOAD SELECT SHUTDOWN SLAVEOF SLOWLOG SLOWLOG|GET SLOWLOG|HELP SLOWLOG|LEN
                SLOWLOG|RESET SUBSCRIBE SWAPDB SYNC TIME UNSUBSCRIBE UNWATCH WAIT XGROUP XGROUP|HELP XINFO XINFO|HELP
                WAITAOF
            """;

    private static final Map<String, Spec> SPECS = specs();
    /** Names that have subcommands: their second argument is part of the name. */
    private static final Set<String> CONTAINERS = containers();

    private KeyPositions() {
    }

    private static Map<String, Spec> specs() {
        Map<String, Spec> m = new HashMap<>();
        Spec range = null;
        for (String line : RANGES.strip().split("\n")) {
            String l = line.strip();
            if (l.endsWith(":")) {
                String[] n = l.substring(0, l.length() - 1).split(" ");
                range = new Spec(Rule.RANGE, Integer.parseInt(n[0]), Integer.parseInt(n[1]), Integer.parseInt(n[2]));
            } else {
                for (String name : l.split(" ")) {
                    m.put(name, range);
                }
            }
        }
        for (String name : List.of("EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "BLMPOP", "BZMPOP")) {
            m.put(name, new Spec(Rule.NUMKEYS, 2, 0, 1));
        }
        for (String name : List.of("ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "SINTERCARD", "LMPOP", "ZMPOP")) {
            m.put(name, new Spec(Rule.NUMKEYS, 1, 0, 1));
        }
        for (String name : List.of("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE")) {
            m.put(name, new Spec(Rule.STORE_NUMKEYS, 1, 0, 1));
        }
        m.put("XREAD", new Spec(Rule.STREAMS, 1, 0, 1));
        m.put("XREADGROUP", new Spec(Rule.STREAMS, 4, 0, 1)); // after GROUP group consumer
        m.put("SORT", new Spec(Rule.SORT, 1, 0, 1));
        m.put("SORT_RO", new Spec(Rule.RANGE, 1, 1, 1)); // movable for BY/GET patterns, which are not keys here
        m.put("GEORADIUS", new Spec(Rule.GEORADIUS, 6, 0, 1));         // key longitude latitude radius unit
        m.put("GEORADIUSBYMEMBER", new Spec(Rule.GEORADIUS, 5, 0, 1)); // key member radius unit
        m.put("MIGRATE", new Spec(Rule.MIGRATE, 3, 0, 1));
        return Map.copyOf(m);
    }

    private static Set<String> containers() {
        Set<String> c = new HashSet<>();
        for (String name : SPECS.keySet()) {
            int bar = name.indexOf('|');
            if (bar > 0) {
                c.add(name.substring(0, bar));
            }
        }
        return Set.copyOf(c);
    }

    /** True when the table has {@code name}: {@code "GET"}, {@code "object encoding"} or {@code "OBJECT|ENCODING"}. */
    public static boolean known(String name) {
        return SPECS.containsKey(name.toUpperCase(Locale.ROOT).replace(' ', '|'));
    }

    /** True when the table has the command (and subcommand) that {@code args} spell. */
    public static boolean known(List<byte[]> args) {
        return !args.isEmpty() && SPECS.containsKey(name(args));
    }

    /**
     * The indexes in {@code args} (name first) of the key arguments, in the order {@code COMMAND GETKEYS} gives
     * them; empty for keyless commands. The shard channels of {@code SSUBSCRIBE}, {@code SUNSUBSCRIBE} and
     * {@code SPUBLISH} count as keys here (the server calls them not-keys, but they route by their slot).
     *
     * @throws IllegalArgumentException when the command is not {@link #known(List) known}
     */
    public static int[] keyIndexes(List<byte[]> args) {
        String name = args.isEmpty() ? "" : name(args);
        Spec s = SPECS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no key positions for '" + name.replace('|', ' ')
                    + "': ask the server with COMMAND GETKEYS");
        }
        int argc = args.size();
        return switch (s.rule) {
            case RANGE -> range(s.first, s.last, s.step, argc);
            case NUMKEYS -> numkeys(args, s.first, null);
            case STORE_NUMKEYS -> numkeys(args, 2, 1);
            case STREAMS -> streams(args, s.first);
            case SORT -> sort(args);
            case GEORADIUS -> georadius(args, s.first);
            case MIGRATE -> migrate(args);
        };
    }

    /** The server's legacy (first, last, step) for a non-movable command, or null: for the tests. */
    static int[] legacyRange(String name) {
        Spec s = SPECS.get(name);
        return s == null || s.rule != Rule.RANGE || name.equals("SORT_RO") ? null : new int[] {s.first, s.last, s.step};
    }

    private static String name(List<byte[]> args) {
        String n = upper(args.getFirst());
        return CONTAINERS.contains(n) && args.size() > 1 ? n + "|" + upper(args.get(1)) : n;
    }

    private static String upper(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    private static int[] range(int first, int last, int step, int argc) {
        if (first == 0 || first >= argc) {
            return new int[0];
        }
        int end = Math.min(last < 0 ? argc + last : last, argc - 1);
        List<Integer> keys = new ArrayList<>();
        for (int i = first; i <= end; i += step) {
            keys.add(i);
        }
        return ints(keys);
    }

    /** {@code numkeys} at {@code at}, keys after it; {@code destination} (or null) first. */
    private static int[] numkeys(List<byte[]> args, int at, Integer destination) {
        long n = at < args.size() ? number(args.get(at)) : -1;
        if (n < 0 || at + n >= args.size() + 0L) {
            return new int[0];
        }
        List<Integer> keys = new ArrayList<>();
        if (destination != null) {
            keys.add(destination);
        }
        for (int i = 0; i < n; i++) {
            keys.add(at + 1 + i);
        }
        return ints(keys);
    }

    private static int[] streams(List<byte[]> args, int from) {
        for (int i = from; i < args.size(); i++) {
            if (is(args.get(i), "STREAMS")) {
                int half = (args.size() - i - 1) / 2;
                return range(i + 1, i + half, 1, args.size());
            }
        }
        return new int[0];
    }

    private static int[] sort(List<byte[]> args) {
        int store = -1;
        for (int i = 2; i < args.size(); i++) {
            if (is(args.get(i), "LIMIT")) {
                i += 2;
            } else if (is(args.get(i), "GET") || is(args.get(i), "BY")) {
                i += 1;
            } else if (is(args.get(i), "STORE") && i + 1 < args.size()) {
                store = i + 1; // the last STORE wins, as SORT itself does
            }
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    /** The key at 1, then the argument after the first STORE, then after the first STOREDIST, from {@code from}. */
    private static int[] georadius(List<byte[]> args, int from) {
        List<Integer> keys = new ArrayList<>(List.of(1));
        for (String keyword : new String[] {"STORE", "STOREDIST"}) {
            for (int i = from; i + 1 < args.size(); i++) {
                if (is(args.get(i), keyword)) {
                    keys.add(i + 1);
                    break;
                }
            }
        }
        return ints(keys);
    }

    private static int[] migrate(List<byte[]> args) {
        for (int i = 6; i < args.size(); i++) {
            if (is(args.get(i), "AUTH")) {
                i += 1;
            } else if (is(args.get(i), "AUTH2")) {
                i += 2;
            } else if (is(args.get(i), "KEYS")) {
                return args.get(3).length > 0 ? new int[0] : range(i + 1, -1, 1, args.size());
            }
        }
        return range(3, 3, 1, args.size());
    }

    private static boolean is(byte[] arg, String word) {
        return new String(arg, StandardCharsets.UTF_8).equalsIgnoreCase(word);
    }

    /** A non-negative decimal, or -1. */
    private static long number(byte[] b) {
        if (b.length == 0 || b.length > 18) {
            return -1;
        }
        long n = 0;
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
