package io.respin.engine.tools;

import java.io.IOException;
import java.util.Arrays;

/**
 * Entry point of the runnable engine jar:
 * {@code java -jar engine/target/respin-engine-<version>.jar decode [options] < capture.bin}; {@code --help}
 * prints the usage and exits 0, anything else but {@code decode} prints it on stderr and exits 2.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Decode.usage());
            System.exit(0);
        }
        if (args.length == 0 || !args[0].equals("decode")) {
            System.err.println(Decode.usage());
            System.exit(2);
        }
        int status = Decode.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err);
        System.exit(status);
    }
}
