package io.respin.engine.sentinel;

import static io.respin.engine.resp.Replies.array;
import static io.respin.engine.resp.Replies.fields;
import static io.respin.engine.resp.Replies.integer;
import static io.respin.engine.resp.Replies.required;
import static io.respin.engine.resp.Replies.text;

import io.respin.engine.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The replies a Sentinel client reads from sentinels, for RESP2 and RESP3.
 *
 * <pre>{@code
 * HostAndPort primary = SentinelReplies.masterAddress(reply);   // null: this sentinel knows no such master
 * List<HostAndPort> more = SentinelReplies.sentinels(reply);     // SENTINEL sentinels <name>
 * }</pre>
 */
public final class SentinelReplies {

    private SentinelReplies() {
    }

    /** {@code SENTINEL get-master-addr-by-name}: the primary's address, or null when the name is unknown there. */
    public static HostAndPort masterAddress(Reply reply) {
        if (reply == null || reply instanceof Reply.Null) {
            return null;
        }
        List<Reply> a = array(reply, "a get-master-addr-by-name reply");
        if (a.size() != 2) {
            throw new IllegalArgumentException("a get-master-addr-by-name reply is [host, port], got " + reply);
        }
        return new HostAndPort(text(a.get(0)), integer(a.get(1), "primary port"));
    }

    /** {@code SENTINEL sentinels <name>}: the other sentinels watching the master (without the one asked). */
    public static List<HostAndPort> sentinels(Reply reply) {
        List<HostAndPort> out = new ArrayList<>();
        for (Reply e : array(reply, "a SENTINEL sentinels reply")) {
            Map<String, Reply> f = fields(e, "a SENTINEL sentinels entry");
            out.add(address(f, "sentinel"));
        }
        return out;
    }

    /** {@code SENTINEL replicas <name>}: each replica with whether Sentinel considers it usable now. */
    public static List<Replica> replicas(Reply reply) {
        List<Replica> out = new ArrayList<>();
        for (Reply e : array(reply, "a SENTINEL replicas reply")) {
            Map<String, Reply> f = fields(e, "a SENTINEL replicas entry");
            String flags = text(f.get("flags"));
            String link = text(f.get("master-link-status"));
            boolean down = flags != null && (flags.contains("s_down") || flags.contains("o_down")
                    || flags.contains("disconnected"));
            out.add(new Replica(address(f, "replica"), flags == null ? "" : flags, !down && !"err".equals(link)));
        }
        return out;
    }

    /**
     * A {@code +switch-master} message's payload, {@code <name> <old-ip> <old-port> <new-ip> <new-port>}; null when
     * it is not one.
     */
    public static SwitchMaster switchMaster(String payload) {
        String[] p = payload == null ? new String[0] : payload.trim().split(" ");
        if (p.length != 5) {
            return null;
        }
        try {
            return new SwitchMaster(p[0], new HostAndPort(p[1], Integer.parseInt(p[2])),
                    new HostAndPort(p[3], Integer.parseInt(p[4])));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A {@code +promoted-slave} message's payload, {@code slave <ip:port> <ip> <port> @ <name> <old-ip> <old-port>}:
     * the replica a failover just made the primary of {@code name} (before the other replicas are reconfigured and
     * {@code +switch-master} is published), as a {@link SwitchMaster} from the old primary to it; null when it is not one.
     */
    public static SwitchMaster promotedReplica(String payload) {
        String[] p = payload == null ? new String[0] : payload.trim().split(" ");
        if (p.length != 8 || !p[0].equals("slave") || !p[4].equals("@")) {
            return null;
        }
        try {
            return new SwitchMaster(p[5], new HostAndPort(p[6], Integer.parseInt(p[7])),
                    new HostAndPort(p[2], Integer.parseInt(p[3])));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An instance event about a primary — {@code +sdown}, {@code -sdown}, {@code +odown}, {@code -odown},
     * {@code +try-failover} — whose payload is {@code master <name> <ip> <port> [...]}; null when the event is about
     * a replica or a sentinel ({@code slave ...}, {@code sentinel ...}) or is not one.
     */
    public static MasterEvent masterEvent(String payload) {
        String[] p = payload == null ? new String[0] : payload.trim().split(" ");
        if (p.length < 4 || !p[0].equals("master")) {
            return null;
        }
        try {
            return new MasterEvent(p[1], new HostAndPort(p[2], Integer.parseInt(p[3])));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code SENTINEL master <name>}: its {@code config-epoch}, the epoch of the failover that made the current
     * primary what the sentinel names (0 before any failover); -1 when the reply has none.
     */
    public static long configEpoch(Reply reply) {
        Reply e = fields(reply, "a SENTINEL master reply").get("config-epoch");
        if (e == null) {
            return -1;
        }
        try {
            return e instanceof Reply.Int i ? i.value() : Long.parseLong(text(e));
        } catch (NumberFormatException x) {
            return -1;
        }
    }

    private static HostAndPort address(Map<String, Reply> f, String what) {
        return new HostAndPort(text(required(f, "ip", what)), integer(required(f, "port", what), what + " port"));
    }

    /** A replica as Sentinel lists it; {@code usable}: not down, not disconnected, its link to the primary not broken. */
    public record Replica(HostAndPort address, String flags, boolean usable) {
    }

    /** A sentinel event about the primary of {@code masterName}, the node at {@code address}. */
    public record MasterEvent(String masterName, HostAndPort address) {
    }

    /** The primary of {@code masterName} moved from {@code from} to {@code to}. */
    public record SwitchMaster(String masterName, HostAndPort from, HostAndPort to) {
    }
}
