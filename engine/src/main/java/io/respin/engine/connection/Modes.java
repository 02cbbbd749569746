package io.respin.engine.connection;

/**
 * The modes that change what the server does with commands and how its replies are framed, tracked on both sides
 * of the wire: the send side moves when a command is written (MONITOR or QUIT refuses what follows at once), the
 * reply side when its reply arrives (MULTI, MONITOR and RESET take effect in reply order).
 * <pre>
 *   reply side  NORMAL ──MULTI ok──▶ MULTI ──EXEC / DISCARD / RESET──▶ NORMAL
 *               NORMAL ──MONITOR ok──▶ MONITOR ──RESET──▶ NORMAL
 *   send side   OPEN ──MONITOR sent──▶ MONITOR ──RESET sent──▶ OPEN;   any ──QUIT sent──▶ QUIT (until reset)
 *   CLIENT REPLY  ON ──OFF──▶ OFF ──ON / RESET──▶ ON;   ON ──SKIP──▶ SKIP_NEXT ──next command──▶ ON
 * </pre>
 * SUBSCRIBED and DEAD are not kept here: they follow from the confirmed subscriptions and the connection's failure.
 * The (un)subscribe and RESET counts in flight tell whether RESP2's subscribed rules apply to the next command.
 */
final class Modes {

    /** {@link #sent} result: the server will not answer this command (CLIENT REPLY OFF / SKIP). */
    static final int NO_REPLY = 0;

    /** What the server will do with the next command written. */
    private enum Sending { OPEN, MONITOR, QUIT }

    /** The server's CLIENT REPLY setting, as of the commands written. */
    private enum ClientReply { ON, OFF, SKIP_NEXT }

    private final Transaction transaction;
    /** NORMAL, MULTI or MONITOR: as of the last reply processed. */
    private Connection.Mode replied = Connection.Mode.NORMAL;
    private Sending sending = Sending.OPEN;
    private ClientReply clientReply = ClientReply.ON;
    private int subscribesInFlight;
    private int unsubscribesInFlight;
    private int resetsInFlight;

    Modes(Transaction transaction) {
        this.transaction = transaction;
    }

    /** NORMAL, MULTI or MONITOR, as of the last reply processed. */
    Connection.Mode replied() {
        return replied;
    }

    /** A new socket: every mode ends. */
    void clear() {
        replied = Connection.Mode.NORMAL;
        sending = Sending.OPEN;
        clientReply = ClientReply.ON;
        clearInFlight();
    }

    /** Every command in flight has failed: none of them will change a count when it is answered. */
    void clearInFlight() {
        subscribesInFlight = 0;
        unsubscribesInFlight = 0;
        resetsInFlight = 0;
    }

    /**
     * Why a command of {@code kind} may not be sent in the current send-side mode, or null when it may.
     * {@code protocol} and {@code subscriptions} decide whether RESP2's subscribed rules apply.
     */
    String refusal(CommandKind kind, int protocol, int subscriptions) {
        if (sending == Sending.QUIT) {
            return "QUIT was sent on this connection and the server closes it after answering; the command was not "
                    + "sent. Send it on a new connection";
        }
        if (sending == Sending.MONITOR && kind != CommandKind.RESET && kind != CommandKind.QUIT) {
            return "connection is in MONITOR mode: only RESET or QUIT may be sent; the command was not sent. "
                    + "Use another connection for other commands";
        }
        if (protocol == 2 && unsubscribesInFlight == 0 && resetsInFlight == 0
                && (subscribesInFlight > 0 || subscriptions > 0)) {
            return switch (kind) {
                case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE, PING, QUIT, RESET -> null;
                default -> "connection is subscribed (RESP2): only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET "
                        + "are allowed; the command was not sent. Use RESP3 (protocol 3) or another connection";
            };
        }
        return null;
    }

    /**
     * A command of {@code kind} was written: applies its send-side change and returns how many replies it expects —
     * {@link #NO_REPLY}, 1, its channel count for (un)subscribes, or -1 for an unsubscribe from everything (one reply
     * per subscription, known later).
     */
    int sent(CommandKind kind, int channelCount) {
        if (!answered(kind)) {
            return NO_REPLY;
        }
        switch (kind) {
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> {
                subscribesInFlight++;
                return Math.max(1, channelCount);
            }
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> {
                unsubscribesInFlight++;
                return channelCount == 0 ? -1 : channelCount;
            }
            case MONITOR -> {
                if (sending != Sending.QUIT) {
                    sending = Sending.MONITOR;
                }
            }
            case QUIT -> sending = Sending.QUIT;
            case RESET -> {
                if (sending != Sending.QUIT) {
                    sending = Sending.OPEN;
                }
                resetsInFlight++;
            }
            default -> { }
        }
        return 1;
    }

    /** Applies CLIENT REPLY's rules to a command of {@code kind} being written: true when the server answers it. */
    private boolean answered(CommandKind kind) {
        return switch (kind) {
            case CLIENT_REPLY_OFF -> {
                clientReply = ClientReply.OFF;
                yield false;
            }
            case CLIENT_REPLY_SKIP -> {
                if (clientReply == ClientReply.ON) {
                    clientReply = ClientReply.SKIP_NEXT;
                }
                yield false;
            }
            case CLIENT_REPLY_ON, RESET -> {
                clientReply = ClientReply.ON;
                yield true;
            }
            default -> {
                boolean answered = clientReply == ClientReply.ON;
                if (clientReply == ClientReply.SKIP_NEXT) {
                    clientReply = ClientReply.ON;
                }
                yield answered;
            }
        };
    }

    /**
     * The reply to a command of {@code kind} arrived (not an error): applies its reply-side change. A transaction
     * that ends without running (EXEC's null, DISCARD, RESET) fails its queued commands here, while the mode still
     * says MULTI.
     */
    void replied(CommandKind kind, boolean nullReply) {
        switch (kind) {
            case MULTI -> replied = Connection.Mode.MULTI;
            case EXEC -> {
                if (replied == Connection.Mode.MULTI && nullReply) {
                    transaction.abort("transaction aborted: a WATCHed key was modified, so EXEC ran nothing (EXEC returned null); "
                            + "retry the transaction");
                }
                endMulti();
            }
            case DISCARD -> {
                transaction.abort("transaction discarded (DISCARD): the command was not run");
                endMulti();
            }
            case MONITOR -> replied = Connection.Mode.MONITOR;
            case RESET -> {
                resetsInFlight--;
                if (replied == Connection.Mode.MULTI) {
                    transaction.abort("transaction discarded by RESET: the command was not run");
                }
                replied = Connection.Mode.NORMAL;
            }
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> subscribesInFlight--;
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> unsubscribesInFlight--;
            default -> { }
        }
    }

    /** A command of {@code kind} was answered with the error {@code message}: it changed no mode but its count. */
    void refused(CommandKind kind, String message) {
        switch (kind) {
            case EXEC -> {
                if (replied == Connection.Mode.MULTI) {
                    transaction.abort("transaction aborted: the server refused EXEC with '" + message + "'; nothing ran");
                }
                endMulti();
            }
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> subscribesInFlight--;
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> unsubscribesInFlight--;
            case RESET -> resetsInFlight--;
            default -> { }
        }
    }

    private void endMulti() {
        if (replied == Connection.Mode.MULTI) {
            replied = Connection.Mode.NORMAL;
        }
    }
}
