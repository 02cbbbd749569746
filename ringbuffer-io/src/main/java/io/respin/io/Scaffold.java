package io.respin.io;

/** Holds the package until its first real type lands; delete then. */
final class Scaffold {
    private Scaffold() {
    }
}
