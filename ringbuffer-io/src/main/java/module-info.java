/**
 * respin's transport: one IO thread per runtime drives many engine connections over NIO.
 */
module io.respin.io {
    requires transitive io.respin.engine;
    requires org.agrona;
    requires org.jctools.core;

    exports io.respin.io;
}
