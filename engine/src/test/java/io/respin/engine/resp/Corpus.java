package io.respin.engine.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser's specification by example: every RESP2/RESP3 type and the edge cases of hiredis' {@code test.c}
 * and the RESP3 spec, with the canonical output ({@code resp-decode.md}) each must produce, and malformed inputs
 * with the exact byte offset of their error. {@code \r\n} is written out so that the wire bytes are visible.
 */
final class Corpus {

    /** Input (ISO-8859-1 chars = bytes), the lines it prints, and "ok", "incomplete" or "error@offset:fragment". */
    record Fixture(String name, String input, List<String> lines, String end) {
        byte[] bytes() {
            return Feed.bytes(input);
        }

        boolean complete() {
            return end.equals("ok");
        }

        long errorOffset() {
            return Long.parseLong(end.substring(6, end.indexOf(':')));
        }

        String errorFragment() {
            return end.substring(end.indexOf(':') + 1);
        }

        @Override public String toString() {
            return name;
        }
    }

    private Corpus() {
    }

    static Fixture ok(String name, String input, String... lines) {
        return new Fixture(name, input, List.of(lines), "ok");
    }

    static Fixture incomplete(String name, String input, String... lines) {
        return new Fixture(name, input, List.of(lines), "incomplete");
    }

    static Fixture error(String name, String input, long offset, String fragment, String... lines) {
        return new Fixture(name, input, List.of(lines), "error@" + offset + ":" + fragment);
    }

    static List<Fixture> valid() {
        List<Fixture> f = new ArrayList<>();
        // simple strings and errors
        f.add(ok("simple", "+OK\r\n", "simple \"OK\""));
        f.add(ok("simple empty", "+\r\n", "simple \"\""));
        f.add(ok("simple spaces and quotes", "+a \"b\" \\c\r\n", "simple \"a \\\"b\\\" \\\\c\""));
        f.add(ok("simple binary", "+\u0000\u00ff\t\u007f\r\n", "simple \"\\x00\\xff\\t\\x7f\""));
        f.add(ok("error", "-ERR unknown command 'foo'\r\n", "error \"ERR unknown command 'foo'\""));
        f.add(ok("error empty", "-\r\n", "error \"\""));
        // integers
        f.add(ok("int", ":42\r\n", "int 42"));
        f.add(ok("int zero", ":0\r\n", "int 0"));
        f.add(ok("int negative", ":-1\r\n", "int -1"));
        f.add(ok("int plus", ":+5\r\n", "int 5"));
        f.add(ok("int minus zero", ":-0\r\n", "int 0"));
        f.add(ok("int leading zeros", ":007\r\n", "int 7"));
        f.add(ok("int max", ":9223372036854775807\r\n", "int 9223372036854775807"));
        f.add(ok("int min", ":-9223372036854775808\r\n", "int -9223372036854775808"));
        // bulk strings
        f.add(ok("bulk", "$5\r\nhello\r\n", "bulk \"hello\""));
        f.add(ok("bulk empty", "$0\r\n\r\n", "bulk \"\""));
        f.add(ok("bulk null", "$-1\r\n", "null"));
        f.add(ok("bulk with CRLF inside", "$4\r\n\r\n\r\n\r\n", "bulk \"\\r\\n\\r\\n\""));
        f.add(ok("bulk binary", "$3\r\n\u0000\u0080\u00ff\r\n", "bulk \"\\x00\\x80\\xff\""));
        f.add(ok("bulk length leading zero", "$03\r\nabc\r\n", "bulk \"abc\""));
        // arrays
        f.add(ok("array", "*3\r\n:1\r\n$3\r\nfoo\r\n+bar\r\n", "array [int 1, bulk \"foo\", simple \"bar\"]"));
        f.add(ok("array empty", "*0\r\n", "array []"));
        f.add(ok("array null", "*-1\r\n", "null"));
        f.add(ok("array nested", "*2\r\n*2\r\n:1\r\n:2\r\n*0\r\n", "array [array [int 1, int 2], array []]"));
        f.add(ok("array of nulls", "*3\r\n$-1\r\n_\r\n*-1\r\n", "array [null, null, null]"));
        f.add(ok("array deep", "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", "array [array [array [array [int 1]]]]"));
        f.add(ok("array closes several", "*2\r\n*1\r\n*1\r\n:1\r\n:2\r\n", "array [array [array [int 1]], int 2]"));
        f.add(ok("array with error", "*2\r\n-ERR x\r\n!3\r\nabc\r\n", "array [error \"ERR x\", bloberror \"abc\"]"));
        // RESP3 scalars
        f.add(ok("null", "_\r\n", "null"));
        f.add(ok("double", ",3.14\r\n", "double 3.14"));
        f.add(ok("double integer form", ",1\r\n", "double 1.0"));
        f.add(ok("double exponent", ",1e300\r\n", "double 1.0E300"));
        f.add(ok("double capital E", ",1E5\r\n", "double 100000.0"));
        f.add(ok("double negative exponent", ",-1.5e-10\r\n", "double -1.5E-10"));
        f.add(ok("double exponent sign and zeros", ",2.5e+003\r\n", "double 2500.0"));
        f.add(ok("double plus", ",+1.5\r\n", "double 1.5"));
        f.add(ok("double zero", ",0\r\n", "double 0.0"));
        f.add(ok("double minus zero", ",-0.0\r\n", "double -0.0"));
        f.add(ok("double leading zeros", ",00012.50\r\n", "double 12.5"));
        f.add(ok("double inf", ",inf\r\n", "double inf"));
        f.add(ok("double -inf", ",-inf\r\n", "double -inf"));
        f.add(ok("double nan", ",nan\r\n", "double nan"));
        f.add(ok("double 17 digits", ",3.1400000000000001\r\n", "double 3.14"));
        f.add(ok("double 19 digits above 2^63", ",9999999999999999999\r\n", "double 1.0E19"));
        f.add(ok("double 17 digits tiny", ",2.2250738585072011e-308\r\n", "double 2.225073858507201E-308"));
        f.add(ok("double 21 digits (hiredis)", ",3.14159265358979323846\r\n", "double 3.141592653589793"));
        f.add(ok("double max", ",1.7976931348623157e308\r\n", "double 1.7976931348623157E308"));
        f.add(ok("double min subnormal", ",4.9e-324\r\n", "double 4.9E-324"));
        f.add(ok("double overflow to inf", ",1e400\r\n", "double inf"));
        f.add(ok("double underflow to zero", ",1e-400\r\n", "double 0.0"));
        f.add(ok("double many digits", ",123456789012345678901234567890\r\n", "double 1.2345678901234568E29"));
        f.add(ok("double 0.1", ",0.1\r\n", "double 0.1"));
        f.add(ok("double halfway", ",9007199254740993\r\n", "double 9.007199254740992E15"));
        f.add(ok("double fast path large exponent", ",123e30\r\n", "double 1.23E32"));
        f.add(ok("bool true", "#t\r\n", "bool true"));
        f.add(ok("bool false", "#f\r\n", "bool false"));
        f.add(ok("big number", "(3492890328409238509324850943850943825024385\r\n",
                "bignum 3492890328409238509324850943850943825024385"));
        f.add(ok("big number negative", "(-3492890328409238509324850943850943825024385\r\n",
                "bignum -3492890328409238509324850943850943825024385"));
        f.add(ok("big number zero", "(0\r\n", "bignum 0"));
        f.add(ok("big number plus (RESP3 spec allows it; printed without)", "(+12345678901234567890\r\n",
                "bignum 12345678901234567890"));
        f.add(ok("verbatim", "=15\r\ntxt:Some string\r\n", "verbatim \"txt\" \"Some string\""));
        f.add(ok("verbatim empty text", "=4\r\nmkd:\r\n", "verbatim \"mkd\" \"\""));
        f.add(ok("verbatim multi-line", "=8\r\ntxt:a\r\nb\r\n", "verbatim \"txt\" \"a\\r\\nb\""));
        f.add(ok("blob error", "!21\r\nSYNTAX invalid syntax\r\n", "bloberror \"SYNTAX invalid syntax\""));
        f.add(ok("blob error empty", "!0\r\n\r\n", "bloberror \"\""));
        // RESP3 aggregates
        f.add(ok("map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", "map {simple \"first\": int 1, simple \"second\": int 2}"));
        f.add(ok("map empty", "%0\r\n", "map {}"));
        f.add(ok("map aggregate key", "%1\r\n*1\r\n:1\r\n+v\r\n", "map {array [int 1]: simple \"v\"}"));
        f.add(ok("map nested", "%1\r\n+k\r\n%1\r\n+a\r\n_\r\n", "map {simple \"k\": map {simple \"a\": null}}"));
        f.add(ok("set", "~5\r\n+orange\r\n+apple\r\n#t\r\n:100\r\n:999\r\n",
                "set [simple \"orange\", simple \"apple\", bool true, int 100, int 999]"));
        f.add(ok("set empty", "~0\r\n", "set []"));
        f.add(ok("push", ">4\r\n+pubsub\r\n+message\r\n+somechannel\r\n+this is the message\r\n",
                "push [simple \"pubsub\", simple \"message\", simple \"somechannel\", simple \"this is the message\"]"));
        f.add(ok("push empty", ">0\r\n", "push []"));
        // attributes
        f.add(ok("attribute (spec example)",
                "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
                "attr {simple \"key-popularity\": map {bulk \"a\": double 0.1923, bulk \"b\": double 0.0012}} "
                        + "array [int 2039123, int 9543892]"));
        f.add(ok("attribute inside array (spec example)", "*3\r\n:1\r\n:2\r\n|1\r\n+ttl\r\n:3600\r\n:3\r\n",
                "array [int 1, int 2, attr {simple \"ttl\": int 3600} int 3]"));
        f.add(ok("attribute top level", "|1\r\n+ttl\r\n:3\r\n:7\r\n", "attr {simple \"ttl\": int 3} int 7"));
        f.add(ok("attribute empty", "|0\r\n:1\r\n", "attr {} int 1"));
        f.add(ok("attribute twice", "|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n:3\r\n",
                "attr {simple \"a\": int 1} attr {simple \"b\": int 2} int 3"));
        f.add(ok("attribute on aggregate", "|1\r\n+a\r\n:1\r\n*1\r\n:2\r\n", "attr {simple \"a\": int 1} array [int 2]"));
        f.add(ok("attribute on null", "|1\r\n+a\r\n:1\r\n_\r\n", "attr {simple \"a\": int 1} null"));
        f.add(ok("attribute on map key and value", "%1\r\n|1\r\n+k\r\n:1\r\n+key\r\n|1\r\n+v\r\n:2\r\n+val\r\n",
                "map {attr {simple \"k\": int 1} simple \"key\": attr {simple \"v\": int 2} simple \"val\"}"));
        f.add(ok("attribute last in array", "*1\r\n|1\r\n+a\r\n:1\r\n:9\r\n", "array [attr {simple \"a\": int 1} int 9]"));
        f.add(ok("attribute with attributed value inside",
                "|1\r\n+a\r\n|1\r\n+b\r\n:1\r\n:2\r\n:3\r\n", "attr {simple \"a\": attr {simple \"b\": int 1} int 2} int 3"));
        f.add(ok("attribute on bulk", "|1\r\n+a\r\n:1\r\n$2\r\nhi\r\n", "attr {simple \"a\": int 1} bulk \"hi\""));
        // streamed
        f.add(ok("streamed string (spec example)", "$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n",
                "bulk \"Hello word\""));
        f.add(ok("streamed string empty", "$?\r\n;0\r\n", "bulk \"\""));
        f.add(ok("streamed string CRLF in chunk", "$?\r\n;2\r\n\r\n\r\n;0\r\n", "bulk \"\\r\\n\""));
        f.add(ok("streamed array (spec example)", "*?\r\n:1\r\n:2\r\n:3\r\n.\r\n", "array [int 1, int 2, int 3]"));
        f.add(ok("streamed array empty", "*?\r\n.\r\n", "array []"));
        f.add(ok("streamed set", "~?\r\n+a\r\n.\r\n", "set [simple \"a\"]"));
        f.add(ok("streamed map", "%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n", "map {simple \"a\": int 1, simple \"b\": int 2}"));
        f.add(ok("streamed nested", "*?\r\n*?\r\n:1\r\n.\r\n*1\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n",
                "array [array [int 1], array [bulk \"x\"]]"));
        f.add(ok("streamed with attribute", "*?\r\n|1\r\n+a\r\n:1\r\n:2\r\n.\r\n", "array [attr {simple \"a\": int 1} int 2]"));
        f.add(ok("streamed inside counted", "*2\r\n%?\r\n.\r\n:1\r\n", "array [map {}, int 1]"));
        // several replies in a row
        f.add(ok("pipeline", "+OK\r\n:1\r\n$1\r\na\r\n*1\r\n_\r\n", "simple \"OK\"", "int 1", "bulk \"a\"", "array [null]"));
        return f;
    }

    static List<Fixture> incompletes() {
        List<Fixture> f = new ArrayList<>();
        f.add(incomplete("marker only", "+"));
        f.add(incomplete("line without CRLF", "+OK"));
        f.add(incomplete("line with CR only", "+OK\r"));
        f.add(incomplete("bulk header only", "$5\r\n"));
        f.add(incomplete("bulk partial payload", "$5\r\nhel"));
        f.add(incomplete("bulk payload without CRLF", "$5\r\nhello"));
        f.add(incomplete("bulk payload with CR", "$5\r\nhello\r"));
        f.add(incomplete("array partial", "*2\r\n:1\r\n"));
        f.add(incomplete("attribute without value", "|1\r\n+a\r\n:1\r\n"));
        f.add(incomplete("streamed string open", "$?\r\n;1\r\na\r\n"));
        f.add(incomplete("streamed array open", "*?\r\n:1\r\n"));
        f.add(incomplete("after complete reply", "+OK\r\n:1", "simple \"OK\""));
        f.add(incomplete("verbatim short", "=15\r\ntxt"));
        return f;
    }

    static List<Fixture> errors() {
        List<Fixture> f = new ArrayList<>();
        f.add(error("unknown type", "X", 0, "unknown type byte 'X'"));
        f.add(error("unknown type high byte", "\u0080", 0, "unknown type byte 0x80"));
        f.add(error("empty line", "\r\n", 0, "empty line"));
        f.add(error("bare LF line", "\n", 0, "line feed where a reply should start"));
        f.add(error("space", " +OK\r\n", 0, "unknown type byte 0x20"));
        f.add(error("inline command", "PING\r\n", 0, "unknown type byte 'P'"));
        f.add(error("bare LF", "+OK\n", 3, "line feed without a carriage return"));
        f.add(error("CR without LF", "+OK\rX\r\n", 3, "carriage return not followed by line feed"));
        f.add(error("CR CR", "+OK\r\r\n", 3, "carriage return not followed by line feed"));
        f.add(error("error after replies", "+OK\r\n:1\r\nX", 9, "unknown type", "simple \"OK\"", "int 1"));
        f.add(error("error inside array", "*2\r\n:1\r\nX", 8, "unknown type"));
        f.add(error("empty line inside array", "*1\r\n\r\n", 4, "empty line"));
        // integers
        f.add(error("int empty", ":\r\n", 1, "line ends before its integer"));
        f.add(error("int sign only", ":-\r\n", 2, "line ends before its integer"));
        f.add(error("int bad digit", ":12a\r\n", 3, "invalid integer: 'a'"));
        f.add(error("int space", ": 1\r\n", 1, "invalid integer: 0x20"));
        f.add(error("int decimal", ":1.5\r\n", 2, "invalid integer: '.'"));
        f.add(error("int double sign", ":+-1\r\n", 2, "invalid integer"));
        f.add(error("int overflow", ":9223372036854775808\r\n", 19, "does not fit in 64 bits"));
        f.add(error("int underflow", ":-9223372036854775809\r\n", 20, "does not fit in 64 bits"));
        f.add(error("int too many digits", ":100000000000000000000\r\n", 20, "does not fit in 64 bits"));
        // lengths and counts
        f.add(error("bulk length empty", "$\r\n", 1, "line ends before its length"));
        f.add(error("bulk length letters", "$abc\r\n", 1, "invalid length: 'a'"));
        f.add(error("bulk length -2", "$-2\r\n", 2, "invalid length: '2'"));
        f.add(error("bulk length -10", "$-10\r\n", 3, "invalid length: '0'"));
        f.add(error("bulk length plus", "$+1\r\n", 1, "invalid length: '+'"));
        f.add(error("bulk length ?1", "$?1\r\n", 2, "invalid length: '1'"));
        f.add(error("bulk length 1?", "$1?\r\n", 2, "invalid length: '?'"));
        f.add(error("bulk length overflow", "$99999999999999999999\r\n", 19, "length does not fit"));
        f.add(error("bulk payload too long", "$3\r\nabcd\r\n", 7, "not followed by CRLF after its declared 3 bytes"));
        f.add(error("bulk payload too short", "$3\r\nab\r\n", 7, "not followed by CRLF"));
        f.add(error("bulk payload LF LF", "$3\r\nabc\n\n", 7, "not followed by CRLF"));
        f.add(error("bulk payload CR CR", "$3\r\nabc\r\r", 8, "not followed by CRLF"));
        f.add(error("array count -2", "*-2\r\n", 2, "invalid length"));
        f.add(error("array count letters", "*x\r\n", 1, "invalid length: 'x'"));
        f.add(error("map null", "%-1\r\n", 1, "count -1 (null) is only allowed for $ and *, not map"));
        f.add(error("set null", "~-1\r\n", 1, "not set"));
        f.add(error("push null", ">-1\r\n", 1, "not push"));
        f.add(error("attribute null", "|-1\r\n", 1, "not attribute"));
        f.add(error("verbatim null", "=-1\r\n", 1, "length -1 (null) is only allowed for $ and *, not verbatim"));
        f.add(error("blob error null", "!-1\r\n", 1, "not blob error"));
        f.add(error("streamed attribute", "|?\r\n", 1, "streamed count '?' is only allowed for *, ~ and %"));
        f.add(error("streamed push", ">?\r\n", 1, "not push"));
        f.add(error("streamed verbatim", "=?\r\n", 1, "streamed length '?' is only allowed for $ strings"));
        f.add(error("streamed blob error", "!?\r\n", 1, "not blob error"));
        // RESP3 scalars
        f.add(error("null with content", "_x\r\n", 1, "this line has no content"));
        f.add(error("null spelled out (hiredis)", "_nil\r\n", 1, "this line has no content"));
        f.add(error("type byte @ (hiredis)", "@foo\r\n", 0, "unknown type byte '@'"));
        f.add(error("double with NUL (hiredis)", ",3.14159\u0000265358979323846\r\n", 8, "invalid double: 0x00"));
        f.add(error("array count 2^63-1", "*9223372036854775807\r\n", 0,
                "array of 9223372036854775807 elements exceeds maxElements 2147483647"));
        f.add(error("bulk length 2^63-1", "$9223372036854775807\r\n", 0, "bulk length 9223372036854775807 exceeds maxBulk"));
        f.add(error("map count 2^62", "%4611686018427387904\r\n", 0, "exceeds maxElements"));
        f.add(error("null with space", "_ \r\n", 1, "this line has no content"));
        f.add(error("bool empty", "#\r\n", 1, "line ends before its boolean"));
        f.add(error("bool letter", "#x\r\n", 1, "invalid boolean: 'x'"));
        f.add(error("bool upper", "#T\r\n", 1, "invalid boolean: 'T'"));
        f.add(error("bool long", "#tt\r\n", 2, "invalid boolean: 't'"));
        f.add(error("bool digit", "#1\r\n", 1, "invalid boolean"));
        f.add(error("double empty", ",\r\n", 1, "line ends before its double"));
        f.add(error("double Java suffix", ",1d\r\n", 2, "invalid double: 'd'"));
        f.add(error("double hex", ",0x1p3\r\n", 2, "invalid double: 'x'"));
        f.add(error("double Infinity", ",Infinity\r\n", 1, "invalid double: 'I'"));
        f.add(error("double infinity", ",infinity\r\n", 4, "invalid double: 'i'"));
        f.add(error("double inx", ",inx\r\n", 3, "invalid double: 'x'"));
        f.add(error("double in", ",in\r\n", 3, "line ends before its double"));
        f.add(error("double space", ", 1\r\n", 1, "invalid double: 0x20"));
        f.add(error("double trailing space", ",1 \r\n", 2, "invalid double: 0x20"));
        f.add(error("double dot end", ",1.\r\n", 3, "line ends before its double"));
        f.add(error("double dot start", ",.5\r\n", 1, "invalid double: '.'"));
        f.add(error("double e end", ",1e\r\n", 3, "line ends before its double"));
        f.add(error("double e sign end", ",1e+\r\n", 4, "line ends before its double"));
        f.add(error("double two dots", ",1.2.3\r\n", 4, "invalid double: '.'"));
        f.add(error("double +inf", ",+inf\r\n", 2, "invalid double: 'i'"));
        f.add(error("double -nan", ",-nan\r\n", 2, "invalid double: 'n'"));
        f.add(error("double NaN", ",NaN\r\n", 1, "invalid double: 'N'"));
        f.add(error("double double sign", ",--1\r\n", 2, "invalid double: '-'"));
        f.add(error("double e dot", ",1e1.5\r\n", 4, "invalid double: '.'"));
        f.add(error("big number empty", "(\r\n", 1, "line ends before its big"));
        f.add(error("big number plus only", "(+\r\n", 2, "line ends before its big"));
        f.add(error("big number two signs", "(+-1\r\n", 2, "invalid big number: '-'"));
        f.add(error("big number decimal", "(1.5\r\n", 2, "invalid big number: '.'"));
        f.add(error("big number sign only", "(-\r\n", 2, "line ends before its big"));
        f.add(error("big number inner minus", "(1-\r\n", 2, "invalid big number: '-'"));
        f.add(error("verbatim too short", "=3\r\nabc\r\n", 0, "verbatim string length 3 is shorter than its 4-byte format prefix"));
        f.add(error("verbatim without colon", "=5\r\nabcde\r\n", 7, "expected ':' after 3 bytes, found 'd'"));
        f.add(error("verbatim colon early", "=5\r\nab:de\r\n", 7, "expected ':' after 3 bytes"));
        // streamed forms
        f.add(error("chunk outside string", ";4\r\nabcd\r\n", 0, "';' chunk outside a streamed $? string"));
        f.add(error("dot at top level", ".\r\n", 0, "outside a streamed aggregate"));
        f.add(error("dot in counted array", "*1\r\n.\r\n", 4, "outside a streamed aggregate"));
        f.add(error("dot with content", "*?\r\n.x\r\n", 5, "this line has no content"));
        f.add(error("dot after map key", "%?\r\n+a\r\n.\r\n", 8, "after a key without its value"));
        f.add(error("dot after attribute", "*?\r\n|1\r\n+a\r\n+b\r\n.\r\n", 16, "right after an attribute"));
        f.add(error("streamed string non-chunk", "$?\r\n:1\r\n", 4, "expected a ';' chunk"));
        f.add(error("streamed string chunk -1", "$?\r\n;-1\r\n", 5, "chunk length must be digits"));
        f.add(error("streamed string chunk ?", "$?\r\n;?\r\n", 5, "chunk length must be digits"));
        f.add(error("streamed string chunk too long", "$?\r\n;2\r\nabc\r\n", 10, "not followed by CRLF"));
        f.add(error("streamed string chunk no CRLF", "$?\r\n;1\r\nab", 9, "not followed by CRLF"));
        return f;
    }
}
