package io.respin.engine.tools;

/** Lets tests in other packages quote bytes the way decode does. */
public final class CanonicalFormAccess {
    private CanonicalFormAccess() {
    }

    public static void quote(StringBuilder out, byte[] bytes) {
        CanonicalForm.quoted(out, bytes, 0, bytes.length);
    }
}
