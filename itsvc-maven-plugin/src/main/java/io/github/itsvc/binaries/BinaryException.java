package io.github.itsvc.binaries;

/**
 * A binary could not be fetched or did not verify: a wrong hash, a bad or unknown signature, a refused download, an
 * archive entry escaping its root. The message says which binary, which source, and what was expected and found; it
 * is complete on its own, so callers print it without a stack trace.
 */
public class BinaryException extends Exception {

    public BinaryException(String message) {
        super(message);
    }

    public BinaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
