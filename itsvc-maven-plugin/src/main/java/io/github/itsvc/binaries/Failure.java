package io.github.itsvc.binaries;

/**
 * What went wrong fetching or checking one thing, before it is put in the words of the binary concerned: a
 * one-line {@link #getMessage() what} and a one-line {@link #fix}. Internal to the package; callers see
 * {@link BinaryException}.
 */
class Failure extends Exception {

    final String fix;

    Failure(String what, String fix) {
        super(what, null, false, false);
        this.fix = fix;
    }

    /** More bytes came than the pinned size allows: the file is not the one pinned. */
    static final class TooLarge extends Failure {
        final long limit;

        TooLarge(long limit) {
            super("more than the " + limit + " bytes pinned", "");
            this.limit = limit;
        }
    }

    /** The build is offline and the thing is not cached. */
    static final class Offline extends Failure {
        Offline(String what, String fix) {
            super(what, fix);
        }
    }
}
