package io.respin.engine.connection;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands that open a connection and what their answers mean. All of them are pipelined in one write:
 * <pre>
 *   HELLO 3 [AUTH user pass] [SETNAME name]      (protocol, auth and name in one round trip)
 *   SELECT db                                    (when db != 0)
 *   CLIENT SETINFO LIB-NAME n / LIB-VER v        (errors ignored: unknown before Redis 7.2)
 *   CLIENT TRACKING ON opts...                   (when asked)
 *   SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE ...      (after a reconnect: what the connection was subscribed to)
 * </pre>
 * A server that does not know HELLO (older than 6, some proxies) or refuses the protocol (NOPROTO) gets the
 * RESP2 way instead: {@code AUTH [user] pass} and {@code CLIENT SETNAME}; when a password is involved the
 * commands behind HELLO were refused with NOAUTH, so they are sent again after the AUTH. Any other error of
 * HELLO, AUTH, SELECT, SETNAME or TRACKING fails the handshake.
 */
final class Handshake {

    enum Step { HELLO, AUTH, SETNAME, SELECT, SETINFO, TRACKING, RESUBSCRIBE }

    /** One handshake command; an internal {@link Request} the connection keeps in its FIFO like any other. */
    static final class Command implements Request {
        final Step step;
        private final Object[] args;
        private final CommandKind kind;
        private final int channels;
        private final RespHandler handler;
        /** Set when a later copy of this command will be sent (RESP2 fallback with AUTH): its error is moot. */
        boolean superseded;

        Command(Step step, CommandKind kind, int channels, RespHandler handler, Object... args) {
            this.step = step;
            this.kind = kind;
            this.channels = channels;
            this.handler = handler;
            this.args = args;
        }

        Command copy() {
            return new Command(step, kind, channels, handler, args);
        }

        @Override public void encode(RespWriter w) {
            w.array(args.length);
            for (Object a : args) {
                if (a instanceof byte[] b) {
                    w.arg(b);
                } else {
                    w.arg((String) a);
                }
            }
        }

        @Override public RespHandler replyHandler() { return handler; }

        @Override public CommandKind kind() { return kind; }

        @Override public int channelCount() { return channels; }

        @Override public String toString() {
            return step + " (" + args[0] + (args.length > 1 && step != Step.HELLO && step != Step.AUTH ? " " + args[1] : "") + ")";
        }
    }

    private final ConnectionSettings settings;
    private final ReplyAssembler assembler = new ReplyAssembler();
    private final List<Command> sent = new ArrayList<>();
    private int outstanding;
    private int protocol;
    private String serverVersion = "";
    private long clientId = -1;

    Handshake(ConnectionSettings settings) {
        this.settings = settings;
        this.protocol = settings.protocol();
    }

    ReplyAssembler assembler() {
        return assembler;
    }

    int protocol() {
        return protocol;
    }

    boolean complete() {
        return outstanding == 0;
    }

    HandshakeResult result() {
        return new HandshakeResult(protocol, serverVersion, clientId);
    }

    /** The opening commands, in the order they must be written. */
    List<Command> initialCommands(Collection<byte[]> channels, Collection<byte[]> patterns, Collection<byte[]> shards) {
        List<Command> out = new ArrayList<>();
        List<Object> hello = new ArrayList<>(List.of("HELLO", Integer.toString(settings.protocol())));
        if (settings.password() != null) {
            hello.addAll(List.of("AUTH", settings.username() == null ? "default" : settings.username(), settings.password()));
        }
        if (settings.clientName() != null) {
            hello.addAll(List.of("SETNAME", settings.clientName()));
        }
        out.add(new Command(Step.HELLO, CommandKind.HELLO, 0, assembler, hello.toArray()));
        out.addAll(afterAuth());
        addSubscribe(out, "SUBSCRIBE", CommandKind.SUBSCRIBE, channels);
        addSubscribe(out, "PSUBSCRIBE", CommandKind.PSUBSCRIBE, patterns);
        addSubscribe(out, "SSUBSCRIBE", CommandKind.SSUBSCRIBE, shards);
        return track(out);
    }

    private List<Command> afterAuth() {
        List<Command> out = new ArrayList<>();
        if (settings.database() != 0) {
            out.add(new Command(Step.SELECT, CommandKind.SELECT, 0, assembler, "SELECT", Integer.toString(settings.database())));
        }
        if (settings.libName() != null) {
            out.add(new Command(Step.SETINFO, CommandKind.PLAIN, 0, assembler, "CLIENT", "SETINFO", "LIB-NAME", settings.libName()));
        }
        if (settings.libVersion() != null) {
            out.add(new Command(Step.SETINFO, CommandKind.PLAIN, 0, assembler, "CLIENT", "SETINFO", "LIB-VER", settings.libVersion()));
        }
        if (settings.tracking() != null) {
            List<Object> t = new ArrayList<>(List.of("CLIENT", "TRACKING", "ON"));
            t.addAll(settings.tracking());
            out.add(new Command(Step.TRACKING, CommandKind.PLAIN, 0, assembler, t.toArray()));
        }
        return out;
    }

    private void addSubscribe(List<Command> out, String name, CommandKind kind, Collection<byte[]> names) {
        if (names.isEmpty()) {
            return;
        }
        Object[] args = new Object[names.size() + 1];
        args[0] = name;
        int i = 1;
        for (byte[] n : names) {
            args[i++] = n;
        }
        out.add(new Command(Step.RESUBSCRIBE, kind, names.size(), assembler, args));
    }

    private List<Command> track(List<Command> cmds) {
        sent.addAll(cmds);
        outstanding += cmds.size();
        return cmds;
    }

    /**
     * A handshake command got a non-error reply. Returns commands to write next (usually none).
     */
    List<Command> onReply(Command c, Reply reply) {
        outstanding--;
        if (c.step == Step.HELLO && reply instanceof Reply.Aggregate map) {
            for (int i = 0; i + 1 < map.size(); i += 2) {
                String key = map.get(i).asString();
                Reply v = map.get(i + 1);
                switch (key == null ? "" : key) {
                    case "version" -> serverVersion = v.asString();
                    case "proto" -> protocol = (int) number(v, protocol);
                    case "id" -> clientId = number(v, -1);
                    default -> { }
                }
            }
        }
        return List.of();
    }

    /** An integer field of HELLO's reply; a proxy may send it as a string. */
    private static long number(Reply v, long otherwise) {
        if (v instanceof Reply.Int n) {
            return n.value();
        }
        try {
            return Long.parseLong(v.asString());
        } catch (NumberFormatException | NullPointerException e) {
            return otherwise;
        }
    }

    /**
     * A handshake command got an error reply. Returns the commands to write next, or throws the handshake's
     * failure.
     */
    List<Command> onError(Command c, RedisServerException e) {
        outstanding--;
        if (c.superseded || c.step == Step.SETINFO) {
            return List.of(); // SETINFO is unknown before 7.2; a superseded copy is sent again after AUTH
        }
        if (c.step == Step.HELLO && helloUnsupported(e)) {
            return fallback();
        }
        throw failure(c, e);
    }

    private static boolean helloUnsupported(RedisServerException e) {
        String m = e.getMessage();
        return e.prefix().equals("NOPROTO") || m.startsWith("ERR unknown command") || m.contains("unknown command 'HELLO'")
                || m.contains("unknown command `HELLO`");
    }

    private List<Command> fallback() {
        protocol = 2;
        List<Command> out = new ArrayList<>();
        List<Command> again = new ArrayList<>();
        if (settings.password() != null) {
            Object[] auth = settings.username() == null
                    ? new Object[] {"AUTH", settings.password()}
                    : new Object[] {"AUTH", settings.username(), settings.password()};
            out.add(new Command(Step.AUTH, CommandKind.AUTH, 0, assembler, auth));
            // Everything written behind HELLO ran unauthenticated and will be refused with NOAUTH: its error is
            // moot, and a copy goes out again after the AUTH.
            for (Command s : sent) {
                if (s.step != Step.HELLO && !s.superseded) {
                    s.superseded = true;
                    again.add(s.copy());
                }
            }
        }
        if (settings.clientName() != null) {
            out.add(new Command(Step.SETNAME, CommandKind.PLAIN, 0, assembler, "CLIENT", "SETNAME", settings.clientName()));
        }
        out.addAll(again);
        return track(out);
    }

    private RedisConnectionException failure(Command c, RedisServerException e) {
        String hint = switch (e.prefix()) {
            case "WRONGPASS" -> "check the username and password: the URI's user:password@ (percent-encoded) or "
                    + "RedisClientBuilder.credentials(user, password) (ConnectionSettings.auth when embedding the engine)";
            case "NOAUTH" -> "the server requires authentication: put the password in the URI "
                    + "(redis://:password@host, or redis://user:password@host) or use RedisClientBuilder.credentials"
                    + "(user, password) (ConnectionSettings.password/auth when embedding the engine)";
            case "NOPERM" -> "the ACL user lacks a permission the handshake needs";
            default -> switch (c.step) {
                case SELECT -> "database " + settings.database() + " does not exist on this server (see its 'databases' "
                        + "setting); choose another in the URI (redis://host/2) or RedisClientBuilder.database(n)";
                case TRACKING -> "check the CLIENT TRACKING options (ConnectionOptions.tracking, ConnectionSettings.tracking)";
                default -> "see the server's message";
            };
        };
        RedisServerException said = withoutPassword(e);
        return new RedisConnectionException("handshake failed: the server refused " + c.step + " with '" + said.getMessage()
                + "'; " + hint, false, said);
    }

    /**
     * The server's error with the password as "***": Redis does not echo AUTH arguments, but an "unknown command"
     * error echoes the arguments it got, and proxies and other servers may word errors as they like. Only whole
     * occurrences are replaced (no letter or digit on either side), so a short password does not mangle the words.
     */
    private RedisServerException withoutPassword(RedisServerException e) {
        String m = withoutPassword(e.getMessage());
        return m.equals(e.getMessage()) ? e : new RedisServerException(m);
    }

    /**
     * {@code message} with the password as "***" (see above): how the connection words a handshake command's error
     * reply before it becomes an exception, so that no exception ever holds the password, even one that is dropped.
     */
    String withoutPassword(String message) {
        String pw = settings.password();
        if (pw == null || pw.isEmpty() || !message.contains(pw)) {
            return message;
        }
        return message.replaceAll("(?<![\\p{L}\\p{N}])" + Pattern.quote(pw) + "(?![\\p{L}\\p{N}])", "***");
    }

    /** Marks the handshake as failed from outside (protocol error, closed connection). */
    static RedisException interrupted(RedisException cause) {
        return new RedisConnectionException("handshake did not finish: " + cause.getMessage(), true, cause);
    }
}
