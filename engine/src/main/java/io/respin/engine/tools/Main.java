package io.respin.engine.tools;

import java.io.IOException;
import java.util.Arrays;

/**
 * Entry point of the runnable engine jar: {@code java -jar respin-engine.jar decode [options] < capture.bin}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || !args[0].equals("decode")) {
            System.err.println(Decode.USAGE);
            System.exit(2);
        }
        int status = Decode.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err);
        System.exit(status);
    }
}
