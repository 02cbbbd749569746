package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The state machine, state by input: a prefix brings the parser into each of its states (and each line grammar),
 * then every one of the 256 byte values is fed. A byte is either accepted (consumed or waiting for more) or a
 * protocol error at exactly its offset — and the table below says which, for every byte.
 */
class RespParserStateTest {

    private static final String DIGITS = "0123456789";
    private static final String MARKERS = "+-:$*_,#!=(%~|>";
    private static final String ALL = allBytes();

    private static String allBytes() {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            s.append((char) b);
        }
        return s.toString();
    }

    private static String allBut(String excluded) {
        StringBuilder s = new StringBuilder();
        for (char c : ALL.toCharArray()) {
            if (excluded.indexOf(c) < 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * Feeds {@code prefix + b} for every byte {@code b}; exactly the bytes in {@code accepted} must not fail, the
     * others fail at {@code b}'s offset.
     */
    private static void row(String state, String prefix, long threshold, String accepted) {
        row(state, prefix, threshold, accepted, prefix.length());
    }

    /**
     * Within a line a CR is accepted at first (its LF may follow); whether the content was complete is judged
     * when the LF arrives, and reported at the CR.
     */
    private static void line(String state, String prefix, String accepted) {
        row(state, prefix, Long.MAX_VALUE, accepted + "\r");
    }

    private static void row(String state, String prefix, long threshold, String accepted, long errorOffset) {
        for (int b = 0; b < 256; b++) {
            RespParser p = new RespParser().chunkThreshold(threshold);
            byte[] in = Feed.bytes(prefix + (char) b);
            long used = p.parse(MemorySegment.ofArray(in), 0, in.length, new RespHandler.Adapter());
            boolean ok = used != RespParser.FAILED;
            String what = state + " + " + LineScanner.show(b);
            assertEquals(accepted.indexOf((char) b) >= 0, ok, () -> what + ": " + p.error());
            if (!ok) {
                assertEquals(errorOffset, p.error().offset(), what);
            }
        }
    }

    @Test
    void valueStartAtTopLevelInsideAggregatesAndAfterAttributes() {
        row("VALUE", "", Long.MAX_VALUE, MARKERS);
        row("VALUE after a reply", "+OK\r\n", Long.MAX_VALUE, MARKERS);
        row("VALUE in a counted array", "*2\r\n", Long.MAX_VALUE, MARKERS);
        row("VALUE in a streamed array", "*?\r\n", Long.MAX_VALUE, MARKERS + ".");
        row("VALUE in a streamed map, key", "%?\r\n", Long.MAX_VALUE, MARKERS + ".");
        row("VALUE in a streamed map, value", "%?\r\n+k\r\n", Long.MAX_VALUE, MARKERS);
        row("VALUE after an attribute", "|0\r\n", Long.MAX_VALUE, MARKERS);
        row("VALUE after an attribute in a streamed array", "*?\r\n|0\r\n", Long.MAX_VALUE, MARKERS);
    }

    @Test
    void linesOfEveryGrammar() {
        line("LINE text, first byte", "+", allBut("\n"));
        line("LINE text, later byte", "-ERR", allBut("\n"));
        row("LINE text after CR", "+OK\r", Long.MAX_VALUE, "\n", 3);
        line("LINE integer, first byte", ":", DIGITS + "+-");
        line("LINE integer, after sign", ":-", DIGITS);
        line("LINE integer, after digit", ":1", DIGITS);
        line("LINE integer at 2^63-1", ":922337203685477580", "01234567");
        line("LINE integer at -2^63", ":-922337203685477580", "012345678");
        line("LINE length, first byte", "$", DIGITS + "-?");
        line("LINE length, after -", "*-", "1");
        line("LINE length, after -1", "*-1", "");
        line("LINE length, after ?", "*?", "");
        line("LINE length, after digit", "$1", DIGITS);
        line("LINE big number, first byte", "(", DIGITS + "-+");
        line("LINE big number, after +", "(+", DIGITS);
        line("LINE big number, after digit", "(1", DIGITS);
        line("LINE double, first byte", ",", DIGITS + "+-in");
        line("LINE double, after -", ",-", DIGITS + "i");
        line("LINE double, after +", ",+", DIGITS);
        line("LINE double, after digit", ",1", DIGITS + ".eE");
        line("LINE double, after dot", ",1.", DIGITS);
        line("LINE double, fraction", ",1.5", DIGITS + "eE");
        line("LINE double, after e", ",1e", DIGITS + "+-");
        line("LINE double, exponent", ",1e5", DIGITS);
        line("LINE double, in", ",in", "f");
        line("LINE double, inf", ",inf", "");
        line("LINE boolean", "#", "tf");
        line("LINE boolean, after t", "#t", "");
        line("LINE null", "_", "");
        line("LINE stream end", "*?\r\n.", "");
    }

    @Test
    void payloadsAndStreamedStrings() {
        row("BULK_WHOLE, payload", "$3\r\n", Long.MAX_VALUE, ALL);
        row("BULK_WHOLE, where CR must be", "$1\r\na", Long.MAX_VALUE, "\r");
        row("BULK_WHOLE, where LF must be", "$1\r\na\r", Long.MAX_VALUE, "\n");
        row("BULK_WHOLE, verbatim prefix", "=5\r\ntxt", Long.MAX_VALUE, ":");
        row("BULK_PIECES, payload", "$3\r\n", 0, ALL);
        row("BULK_PIECES, verbatim prefix", "=5\r\ntxt", 0, ":");
        row("PAYLOAD_CRLF", "$1\r\na", 0, "\r");
        row("PAYLOAD_CRLF after CR", "$1\r\na\r", 0, "\n");
        row("CHUNK_HEADER", "$?\r\n", Long.MAX_VALUE, ";");
        line("CHUNK_HEADER, length", "$?\r\n;", DIGITS + "-?");
        row("CHUNK payload", "$?\r\n;2\r\n", Long.MAX_VALUE, ALL);
        row("CHUNK_HEADER after a chunk", "$?\r\n;1\r\na\r\n", Long.MAX_VALUE, ";");
    }
}
