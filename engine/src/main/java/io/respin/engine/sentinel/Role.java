package io.respin.engine.sentinel;

import static io.respin.engine.resp.Replies.array;
import static io.respin.engine.resp.Replies.integer;
import static io.respin.engine.resp.Replies.longValue;
import static io.respin.engine.resp.Replies.text;

import io.respin.engine.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node says it is ({@code ROLE}): the check the Sentinel guidelines ask for after connecting to the address
 * a sentinel gave, since a sentinel may be behind a failover. Same in RESP2 and RESP3.
 *
 * <pre>{@code
 * Role role = Role.parse(reply);
 * if (!role.isPrimary()) { wait a little and ask the sentinels again }
 * }</pre>
 *
 * @param kind          primary, replica or sentinel
 * @param offset        the replication offset (primary: its own; replica: the one it processed), -1 for a sentinel
 * @param primary       for a replica: the primary it follows; else null
 * @param linkState     for a replica: {@code connect}, {@code connecting}, {@code sync}, {@code connected}...
 * @param replicas      for a primary: its connected replicas
 * @param masterNames   for a sentinel: the masters it watches
 */
public record Role(Kind kind, long offset, HostAndPort primary, String linkState, List<HostAndPort> replicas,
                   List<String> masterNames) {

    public enum Kind { PRIMARY, REPLICA, SENTINEL }

    public boolean isPrimary() {
        return kind == Kind.PRIMARY;
    }

    /** Reads a {@code ROLE} reply. */
    public static Role parse(Reply reply) {
        List<Reply> r = array(reply, "a ROLE reply");
        if (r.isEmpty()) {
            throw new IllegalArgumentException("a ROLE reply is empty");
        }
        String role = text(r.get(0));
        switch (role == null ? "" : role) {
            case "master" -> {
                List<HostAndPort> replicas = new ArrayList<>();
                if (r.size() > 2) {
                    for (Reply rep : array(r.get(2), "a ROLE reply's replicas")) {
                        List<Reply> f = array(rep, "a ROLE replica");
                        replicas.add(new HostAndPort(text(f.get(0)), integer(f.get(1), "replica port")));
                    }
                }
                return new Role(Kind.PRIMARY, longValue(r.get(1), "replication offset"), null, null,
                        List.copyOf(replicas), List.of());
            }
            case "slave", "replica" -> {
                HostAndPort primary = new HostAndPort(text(r.get(1)), integer(r.get(2), "primary port"));
                return new Role(Kind.REPLICA, longValue(r.get(4), "replication offset"), primary, text(r.get(3)),
                        List.of(), List.of());
            }
            case "sentinel" -> {
                List<String> names = new ArrayList<>();
                for (Reply n : array(r.get(1), "a ROLE reply's master names")) {
                    names.add(text(n));
                }
                return new Role(Kind.SENTINEL, -1, null, null, List.of(), List.copyOf(names));
            }
            default -> throw new IllegalArgumentException("a ROLE reply names master, slave or sentinel, got '"
                    + role + "'");
        }
    }
}
