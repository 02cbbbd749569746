package io.respin.client.async.sentinel;

import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.sentinel.HostAndPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One short question to one node, on a blocking socket of its own with a short timeout for connect and for every
 * read: how discovery asks a sentinel {@code SENTINEL get-master-addr-by-name} and a named primary {@code ROLE}. A
 * dead or stalled node costs at most the timeout (twice: connect, then the reply), never a hang, and never holds up
 * the IO thread: discovery runs on its caller's thread (the one building the client, then the follower's). The
 * replies go through the engine's parser like any other.
 */
final class NodeProbe {

    /**
     * How to reach a node: credentials (null password: none), the timeout, TLS (null: plain).
     * {@link #toString()} never shows the password.
     */
    record Access(String user, String password, long timeoutMillis, SSLContext tls, boolean verifyHost) {
        @Override public String toString() {
            return "Access[user=" + user + ", password=" + (password == null ? "none" : "***") + ", timeout="
                    + timeoutMillis + "ms, tls=" + (tls != null) + "]";
        }
    }

    private NodeProbe() {
    }

    /**
     * Sends {@code command} (after AUTH, when the access has a password) and returns its reply.
     *
     * @throws IOException          refused, reset, timed out: the node did not answer
     * @throws RedisServerException the node answered with an error (WRONGPASS, NOAUTH, an unknown command...)
     */
    static Reply ask(HostAndPort node, Access access, String... command) throws IOException {
        Reply r = askAll(node, access, new String[][] {command}).getFirst();
        if (r instanceof Reply.Text t && t.type().isError()) {
            throw new RedisServerException(t.asString());
        }
        return r;
    }

    /**
     * Sends {@code commands} in one write (after AUTH, when the access has a password) and returns their replies in
     * order, error replies among them as they came: one round trip for several questions.
     *
     * @throws IOException          refused, reset, timed out: the node did not answer
     * @throws RedisServerException the node refused the AUTH (WRONGPASS, NOAUTH...)
     */
    static List<Reply> askAll(HostAndPort node, Access access, String[]... commands) throws IOException {
        int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, access.timeoutMillis()));
        try (Socket socket = open(node, access, timeout)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean auth = access.password() != null;
            if (auth) {
                write(out, access.user() == null ? new String[] {"AUTH", access.password()}
                        : new String[] {"AUTH", access.user(), access.password()});
            }
            for (String[] command : commands) {
                write(out, command);
            }
            OutputStream os = socket.getOutputStream();
            os.write(out.toByteArray());
            os.flush();
            Replies replies = new Replies(socket.getInputStream());
            if (auth) {
                Reply r = replies.next();
                if (r instanceof Reply.Text t && t.type().isError()) {
                    throw new RedisServerException(t.asString()); // the server's words: WRONGPASS..., never the password
                }
            }
            List<Reply> got = new ArrayList<>(commands.length);
            for (int i = 0; i < commands.length; i++) {
                got.add(replies.next());
            }
            return got;
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no answer within " + timeout + " ms");
        }
    }

    private static Socket open(HostAndPort node, Access access, int timeout) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(node.host(), node.port()), timeout);
            plain.setSoTimeout(timeout);
            plain.setTcpNoDelay(true);
            if (access.tls() == null) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) access.tls().getSocketFactory().createSocket(plain, node.host(), node.port(), true);
            if (access.verifyHost()) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) { // a plain node reads the hello as a command and waits for more
                throw new javax.net.ssl.SSLException("the TLS handshake got no answer within " + timeout + " ms", e);
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static void write(ByteArrayOutputStream out, String... args) {
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] v = a.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(v);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    /** Reads whole replies off a stream through the engine's parser. */
    private static final class Replies {
        private final InputStream in;
        private final RespParser parser = new RespParser();
        private final ReplyAssembler assembler = new ReplyAssembler();
        private byte[] buf = new byte[4096];
        private int filled;

        Replies(InputStream in) {
            this.in = in;
        }

        Reply next() throws IOException {
            Reply r = assembler.poll();
            while (r == null) {
                if (filled == buf.length || parser.bytesNeeded() > buf.length - filled) {
                    buf = Arrays.copyOf(buf, (int) Math.max(2L * buf.length, filled + parser.bytesNeeded()));
                }
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    throw new IOException("the node closed the connection");
                }
                filled += n;
                long used = parser.parse(buf, 0, filled, assembler);
                if (used == RespParser.FAILED) {
                    throw parser.error();
                }
                System.arraycopy(buf, (int) used, buf, 0, filled - (int) used);
                filled -= (int) used;
                r = assembler.poll();
            }
            return r;
        }
    }
}
