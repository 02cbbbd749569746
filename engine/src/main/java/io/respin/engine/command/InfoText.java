package io.respin.engine.command;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the text of INFO: "# Section" headers, "key:value" lines, CRLF line ends. */
final class InfoText {
    private InfoText() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                map.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return map;
    }
}
