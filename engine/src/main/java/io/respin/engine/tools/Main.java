package io.respin.engine.tools;

/**
 * Entry point of the runnable engine jar: {@code java -jar respin-engine.jar decode [options] < capture.bin}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("decode")) {
            System.err.println("usage: java -jar respin-engine.jar decode [--chunk N] [--max-depth N] "
                    + "[--max-elements N] [--max-bulk N] < capture.bin");
            System.exit(2);
        }
        System.err.println("decode: not built yet");
        System.exit(2);
    }
}
