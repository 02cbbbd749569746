package io.respin.client.async;

import io.respin.client.async.cluster.ClusterCall;
import io.respin.client.async.cluster.ClusterRouter;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import io.respin.io.RedisEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pub/sub over a Redis Cluster: where each channel, pattern and shard channel is subscribed, and moving it when it
 * has to move — without the caller doing anything.
 *
 * <ul>
 *   <li>{@code SSUBSCRIBE} goes to its shard channel's owner (the channel is its key); {@code SUBSCRIBE} and
 *       {@code PSUBSCRIBE} to one primary. Each name's node is remembered ({@link #placed}).</li>
 *   <li>When a slot moves, its owner drops the shard channels of that slot and says so with an unasked
 *       {@code sunsubscribe}: the channel, if some subscription still wants it, is subscribed again through the
 *       cluster router, which follows the MOVED to the new owner.</li>
 *   <li>When a node leaves the topology (failed over, removed), its endpoint is closed and its subscriptions with
 *       it: every name placed there is subscribed again on the slot's new owner (shard channels) or on a primary
 *       that serves slots (channels, patterns).</li>
 *   <li>An unsubscribe goes to the node the name is on.</li>
 * </ul>
 * A resubscription that fails (the cluster still electing) is tried again every second while it is wanted.
 * Messages published while a name is between two nodes are not delivered (pub/sub keeps nothing).
 *
 * <pre>{@code
 * ClusterSubscriptions subs = new ClusterSubscriptions(pushRouter, clusterRouter);
 * subs.subscribe(CommandKind.SSUBSCRIBE, List.of("{orders}:new")).join();
 * }</pre>
 */
final class ClusterSubscriptions {
    private static final System.Logger LOG = System.getLogger("io.respin.cluster");
    private final PushRouter pushes;
    private final ClusterRouter router;
    /**
     * Test hook: run by every resubscription just before it is sent (on the thread that found the move: the push
     * thread for a {@code sunsubscribe}, the topology thread for a node that left), so that a test can hold it there
     * while the client closes. Null outside such tests.
     */
    static volatile Runnable beforeResubscribe;
    /** "kind:name" (kind: the subscribe command) → the endpoint it was confirmed on. */
    private final Map<String, RedisEndpoint> placed = new ConcurrentHashMap<>();

    ClusterSubscriptions(PushRouter pushes, ClusterRouter router) {
        this.pushes = pushes;
        this.router = router;
        pushes.dropped = this::serverDropped;
        router.nodes().onNodeLeft(this::nodeLeft);
    }

    /** Subscribes {@code names} ({@code kind}: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE) where they belong. */
    CompletableFuture<Reply> subscribe(CommandKind kind, List<String> names) {
        return subscribe(new ClusterCall<>(router, command(kind, names)), kind, names);
    }

    private CompletableFuture<Reply> subscribe(ClusterCall<Reply> call, CommandKind kind, List<String> names) {
        return call.start().whenComplete((ok, e) -> {
            RedisEndpoint on = call.sentTo();
            if (e == null && on != null) {
                List<String> unwanted = new ArrayList<>();
                for (String n : names) {
                    placed.put(key(kind, n), on);
                    if (!pushes.wants(kind, n)) {
                        unwanted.add(n); // closed while this (re)subscription was on its way: take it back
                    }
                }
                if (!unwanted.isEmpty()) {
                    unsubscribe(unsubscribeOf(kind), unwanted);
                }
            }
        });
    }

    /** Unsubscribes {@code names} on the nodes they are on ({@code kind}: the unsubscribe command). */
    CompletableFuture<Void> unsubscribe(CommandKind kind, List<String> names) {
        CommandKind sub = subscribeOf(kind);
        Map<RedisEndpoint, List<String>> perNode = new LinkedHashMap<>();
        for (String n : names) {
            RedisEndpoint e = placed.remove(key(sub, n));
            if (e != null && !e.isClosed()) {
                perNode.computeIfAbsent(e, x -> new ArrayList<>()).add(n);
            }
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Map.Entry<RedisEndpoint, List<String>> node : perNode.entrySet()) {
            sent.add(new RedisAsyncCommands<>(node.getKey()::submit, Commands.utf8())
                    .submit(command(kind, node.getValue())));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** The server dropped a shard channel unasked (its slot moved): subscribe it again where it is now. */
    void serverDropped(String kind, String name) {
        if (!"sunsubscribe".equals(kind)) {
            return;
        }
        RedisEndpoint from = placed.remove(key(CommandKind.SSUBSCRIBE, name));
        again(CommandKind.SSUBSCRIBE, name, from, "slot moved");
    }

    /** A node left the topology: what was subscribed on it moves. */
    private void nodeLeft(RedisEndpoint gone) {
        for (Map.Entry<String, RedisEndpoint> e : placed.entrySet()) {
            if (e.getValue() == gone && placed.remove(e.getKey(), gone)) {
                int colon = e.getKey().indexOf(':');
                again(CommandKind.valueOf(e.getKey().substring(0, colon)), e.getKey().substring(colon + 1), gone,
                        "node left");
            }
        }
    }

    /**
     * Subscribes {@code name} again while a subscription wants it; retried every second until it is placed. Once it
     * is, the event listeners hear that it moved from {@code from} ({@link PubSubEvents#onResubscribed}), once.
     */
    private void again(CommandKind kind, String name, RedisEndpoint from, String why) {
        if (router.nodes().isClosed() || !pushes.wants(kind, name) || placed.containsKey(key(kind, name))) {
            return;
        }
        Runnable hook = beforeResubscribe;
        if (hook != null) {
            hook.run();
        }
        ClusterCall<Reply> call = new ClusterCall<>(router, command(kind, List.of(name)));
        subscribe(call, kind, List.of(name)).whenComplete((ok, e) -> {
            if (e != null && !router.nodes().isClosed()) {
                LOG.log(System.Logger.Level.DEBUG, "cluster: {0} {1} not placed yet ({2}), trying again in 1 s",
                        kind, name, e.toString());
                // on the topology thread, which close() ends: a closed client leaves no retry waiting anywhere
                router.nodes().later(() -> again(kind, name, from, why), 1, TimeUnit.SECONDS);
            } else if (e == null && call.sentTo() != null && !router.nodes().isClosed() && pushes.wants(kind, name)) {
                pushes.resubscribed(new PubSubEvents.Resubscribed(kind.name(), name, address(from),
                        address(call.sentTo()), why));
            }
        });
    }

    private static String address(RedisEndpoint e) {
        return e == null ? "?" : e.uri().host() + ":" + e.uri().port();
    }

    private static Command<Reply> command(CommandKind kind, List<String> names) {
        String word = kind.name();
        return new Command<>(word, kind, names.size(), w -> {
            w.array(1 + names.size()).arg(word);
            for (String n : names) {
                w.arg(n);
            }
        }, Decoders.reply());
    }

    private static CommandKind subscribeOf(CommandKind unsubscribe) {
        return switch (unsubscribe) {
            case UNSUBSCRIBE -> CommandKind.SUBSCRIBE;
            case PUNSUBSCRIBE -> CommandKind.PSUBSCRIBE;
            case SUNSUBSCRIBE -> CommandKind.SSUBSCRIBE;
            default -> throw new IllegalArgumentException(unsubscribe + " is not an unsubscribe");
        };
    }

    private static CommandKind unsubscribeOf(CommandKind subscribe) {
        return switch (subscribe) {
            case SUBSCRIBE -> CommandKind.UNSUBSCRIBE;
            case PSUBSCRIBE -> CommandKind.PUNSUBSCRIBE;
            default -> CommandKind.SUNSUBSCRIBE;
        };
    }

    private static String key(CommandKind kind, String name) {
        return kind.name() + ":" + name;
    }
}
