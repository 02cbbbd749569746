/**
 * respin's transport: one IO thread per runtime drives many engine connections over NIO. Only {@code io.respin.io}
 * is exported; {@code .loop}, {@code .net}, {@code .buffer} and {@code .handoff} are its internals.
 */
module io.respin.io {
    requires transitive io.respin.engine;
    requires org.agrona;
    requires org.jctools.core;

    exports io.respin.io;
}
