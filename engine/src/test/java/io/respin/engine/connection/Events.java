package io.respin.engine.connection;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.CanonicalForm;
import java.util.ArrayList;
import java.util.List;

/**
 * A ConnectionListener that writes every event down as one line, so tests compare whole event sequences:
 * {@code reply GET a: bulk "1"}, {@code error GET b: WRONGTYPE ...}, {@code push push [...]}.
 */
final class Events implements ConnectionListener {
    final List<String> lines = new ArrayList<>();
    final List<RedisException> exceptions = new ArrayList<>();
    final List<Reply> pushes = new ArrayList<>();
    HandshakeResult ready;
    RedisException handshakeFailure;

    /** Runs after the onReply of one request (to act from inside a listener, as transports do). */
    Request trigger;
    Runnable action;

    @Override public void onReply(Request r) {
        String value = r instanceof TestCommand t ? t.reply() : null;
        lines.add("reply " + r + (value == null ? "" : ": " + value));
        if (r == trigger) {
            action.run();
        }
    }

    @Override public void onServerError(Request r, RedisServerException error) {
        exceptions.add(error);
        lines.add("error " + r + ": " + error.getMessage());
    }

    @Override public void onFailed(Request r, RedisException error) {
        exceptions.add(error);
        lines.add("failed " + r + ": " + error.getClass().getSimpleName());
    }

    @Override public void onPush(Reply push) {
        pushes.add(push);
        lines.add("push " + CanonicalForm.of(push));
    }

    @Override public void onMonitor(String line) {
        lines.add("monitor " + line);
    }

    @Override public void onReady(HandshakeResult result) {
        ready = result;
        lines.add("ready " + result.protocol());
    }

    @Override public void onHandshakeFailed(RedisException error) {
        handshakeFailure = error;
        lines.add("handshake-failed " + error.getMessage());
    }

    /** Returns the lines so far and forgets them. */
    List<String> take() {
        List<String> out = List.copyOf(lines);
        lines.clear();
        return out;
    }
}
