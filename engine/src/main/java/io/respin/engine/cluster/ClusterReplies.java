package io.respin.engine.cluster;

import static io.respin.engine.resp.Replies.array;
import static io.respin.engine.resp.Replies.fields;
import static io.respin.engine.resp.Replies.integer;
import static io.respin.engine.resp.Replies.required;
import static io.respin.engine.resp.Replies.text;

import io.respin.engine.command.Decoder;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Replies;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cluster node's answer about the topology into a {@link SlotMap}: {@code CLUSTER SHARDS} (Redis 7.0+,
 * the preferred source), {@code CLUSTER SLOTS} (the fallback for older servers) and {@code CLUSTER NODES} (text;
 * the one that carries configuration epochs, for {@link TopologyVote}). RESP2 and RESP3 replies read alike.
 *
 * <p>Addresses: a node's {@code endpoint} is where clients should connect. An endpoint the node does not know —
 * null or empty ({@code cluster-preferred-endpoint-type unknown-endpoint}, or a node that has not learnt its
 * own address yet) — means "the address you asked": {@code replyHost}, the host of the node that sent the reply,
 * with the port from the reply. {@code ?} (a hostname is preferred but none was announced) falls back to the
 * node's {@code ip} when the reply has it, else to {@code replyHost}. Malformed replies throw
 * {@link IllegalArgumentException}; the decoders turn that into the command's failure.
 *
 * <pre>{@code
 * Command<SlotMap> shards = new Command<>("CLUSTER SHARDS",
 *         w -> w.array(2).arg("CLUSTER").arg("SHARDS"), ClusterReplies.shardsDecoder("10.0.0.1", 7));
 * SlotMap map = ClusterReplies.slots(reply, "10.0.0.1", 7);   // from a Reply tree
 * }</pre>
 */
public final class ClusterReplies {
    private ClusterReplies() {
    }

    /** Decodes {@code CLUSTER SHARDS} sent by the node at {@code replyHost}. */
    public static Decoder<SlotMap> shardsDecoder(String replyHost, long version) {
        return Decoders.mapped(Decoders.reply(), r -> shards(r, replyHost, version));
    }

    /** Decodes {@code CLUSTER SLOTS} sent by the node at {@code replyHost}. */
    public static Decoder<SlotMap> slotsDecoder(String replyHost, long version) {
        return Decoders.mapped(Decoders.reply(), r -> slots(r, replyHost, version));
    }

    /** Decodes {@code CLUSTER NODES} sent by the node at {@code replyHost}. */
    public static Decoder<SlotMap> nodesDecoder(String replyHost, long version) {
        return Decoders.mapped(Decoders.utf8(), text -> nodes(text, replyHost, version));
    }

    /**
     * {@code CLUSTER SHARDS}: an array of shards, each a map (RESP2: a flat array) with {@code slots} (an array
     * of start, end, start, end...) and {@code nodes} (maps with id, endpoint, ip, hostname, port, tls-port,
     * role, health). A shard whose nodes include no primary serves nothing.
     */
    public static SlotMap shards(Reply reply, String replyHost, long version) {
        SlotMap.Builder b = SlotMap.builder();
        for (Reply entry : array(reply, "CLUSTER SHARDS")) {
            Map<String, Reply> shard = fields(entry, "a CLUSTER SHARDS shard");
            SlotMap.Node primary = null;
            List<SlotMap.Node> replicas = new ArrayList<>();
            for (Reply n : array(required(shard, "nodes", "shard"), "a shard's nodes")) {
                SlotMap.Node node = shardsNode(fields(n, "a shard's node"), replyHost);
                if (node.role() == SlotMap.Role.PRIMARY && primary == null) {
                    primary = node;
                } else {
                    replicas.add(node);
                }
            }
            List<Reply> ranges = array(required(shard, "slots", "shard"), "a shard's slots");
            if (ranges.size() % 2 != 0) {
                throw new IllegalArgumentException("a shard's slots are start, end pairs, got " + ranges.size() + " numbers");
            }
            if (primary == null) {
                continue;
            }
            SlotMap.Shard s = b.shard(primary, replicas, -1);
            for (int i = 0; i < ranges.size(); i += 2) {
                b.assign(s, integer(ranges.get(i), "slot"), integer(ranges.get(i + 1), "slot"));
            }
        }
        return b.build(version);
    }

    private static SlotMap.Node shardsNode(Map<String, Reply> f, String replyHost) {
        String endpoint = text(f.get("endpoint"));
        String ip = text(f.get("ip"));
        Reply port = f.containsKey("port") ? f.get("port") : required(f, "tls-port", "node");
        SlotMap.Role role = "master".equals(text(f.get("role"))) ? SlotMap.Role.PRIMARY : SlotMap.Role.REPLICA;
        return new SlotMap.Node(text(required(f, "id", "node")), host(endpoint, ip, replyHost),
                integer(port, "port"), role, health(text(f.get("health"))));
    }

    /**
     * {@code CLUSTER SLOTS}: an array of {@code [start, end, primary, replica...]}, each node
     * {@code [endpoint, port, id, {ip, hostname}]} (the metadata map since 7.0). Health is not reported.
     */
    public static SlotMap slots(Reply reply, String replyHost, long version) {
        SlotMap.Builder b = SlotMap.builder();
        Map<String, SlotMap.Shard> byPrimary = new HashMap<>();
        for (Reply entry : array(reply, "CLUSTER SLOTS")) {
            List<Reply> range = array(entry, "a CLUSTER SLOTS range");
            if (range.size() < 3) {
                throw new IllegalArgumentException("a CLUSTER SLOTS range has start, end and a primary, got " + range);
            }
            List<SlotMap.Node> nodes = new ArrayList<>();
            for (int i = 2; i < range.size(); i++) {
                nodes.add(slotsNode(array(range.get(i), "a range's node"), i == 2, replyHost));
            }
            SlotMap.Node primary = nodes.getFirst();
            String key = primary.id().isEmpty() ? primary.host() + ":" + primary.port() : primary.id();
            SlotMap.Shard s = byPrimary.computeIfAbsent(key,
                    k -> b.shard(primary, nodes.subList(1, nodes.size()), -1));
            b.assign(s, integer(range.get(0), "slot"), integer(range.get(1), "slot"));
        }
        return b.build(version);
    }

    private static SlotMap.Node slotsNode(List<Reply> n, boolean primary, String replyHost) {
        if (n.size() < 2) {
            throw new IllegalArgumentException("a CLUSTER SLOTS node has an endpoint and a port, got " + n);
        }
        Map<String, Reply> meta = n.size() > 3 ? fields(n.get(3), "a node's metadata") : Map.of();
        String id = n.size() > 2 ? text(n.get(2)) : "";
        return new SlotMap.Node(id == null ? "" : id, host(text(n.get(0)), text(meta.get("ip")), replyHost),
                integer(n.get(1), "port"), primary ? SlotMap.Role.PRIMARY : SlotMap.Role.REPLICA,
                SlotMap.Health.UNKNOWN);
    }

    /**
     * {@code CLUSTER NODES}: one line a node, {@code id ip:port@cport[,hostname] flags primary-id ping pong
     * config-epoch link-state slot...}; importing/migrating entries ({@code [slot->-id]}) are skipped, since
     * the slot's owner is still the node listing it as a plain range. Nodes flagged {@code noaddr} or
     * {@code handshake} are left out.
     */
    public static SlotMap nodes(String text, String replyHost, long version) {
        record Line(SlotMap.Node node, String primaryId, long epoch, String[] fields) {
        }
        Map<String, Line> primaries = new LinkedHashMap<>();
        List<Line> replicas = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            if (f.length < 8) {
                throw new IllegalArgumentException("a CLUSTER NODES line has at least 8 fields, got: " + line);
            }
            List<String> flags = List.of(f[2].split(","));
            if (flags.contains("noaddr") || flags.contains("handshake")) {
                continue;
            }
            String address = f[1];
            int comma = address.indexOf(',');
            String hostname = comma < 0 ? "" : address.substring(comma + 1);
            String ipPort = address.substring(0, address.indexOf('@') < 0 ? (comma < 0 ? address.length() : comma)
                    : address.indexOf('@'));
            int colon = ipPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("a CLUSTER NODES address is ip:port@cport, got " + address);
            }
            String ip = ipPort.substring(0, colon);
            boolean primary = flags.contains("master");
            SlotMap.Health health = flags.contains("fail") ? SlotMap.Health.FAILED
                    : flags.contains("fail?") ? SlotMap.Health.UNKNOWN : SlotMap.Health.ONLINE;
            SlotMap.Node node = new SlotMap.Node(f[0], host(ip.isEmpty() ? hostname : ip, ip, replyHost),
                    parseInt(ipPort.substring(colon + 1), "port"),
                    primary ? SlotMap.Role.PRIMARY : SlotMap.Role.REPLICA, health);
            Line l = new Line(node, f[3], Replies.parseLong(f[6], "config epoch"), f);
            if (primary) {
                primaries.put(f[0], l);
            } else {
                replicas.add(l);
            }
        }
        SlotMap.Builder b = SlotMap.builder();
        for (Line p : primaries.values()) {
            List<SlotMap.Node> mine = replicas.stream().filter(r -> r.primaryId.equals(p.node.id()))
                    .map(Line::node).toList();
            SlotMap.Shard s = b.shard(p.node, mine, p.epoch);
            for (int i = 8; i < p.fields.length; i++) {
                String range = p.fields[i];
                if (range.startsWith("[")) {
                    continue;
                }
                int dash = range.indexOf('-');
                int from = parseInt(dash < 0 ? range : range.substring(0, dash), "slot");
                b.assign(s, from, dash < 0 ? from : parseInt(range.substring(dash + 1), "slot"));
            }
        }
        return b.build(version);
    }

    // ---- reading Reply trees (cold path) ----

    /** Where to connect: the endpoint, unless it is unknown (see the class comment). */
    private static String host(String endpoint, String ip, String replyHost) {
        if (endpoint == null || endpoint.isEmpty()) {
            return replyHost;
        }
        if (endpoint.equals("?")) {
            return ip == null || ip.isEmpty() || ip.equals("?") ? replyHost : ip;
        }
        return endpoint;
    }

    private static SlotMap.Health health(String h) {
        if (h == null) {
            return SlotMap.Health.UNKNOWN;
        }
        return switch (h) {
            case "online" -> SlotMap.Health.ONLINE;
            case "loading" -> SlotMap.Health.LOADING;
            case "fail", "failed" -> SlotMap.Health.FAILED;
            default -> SlotMap.Health.UNKNOWN;
        };
    }

    private static int parseInt(String s, String what) {
        return Math.toIntExact(Replies.parseLong(s, what));
    }

}
