package io.github.itsvc.target;

/**
 * A target could not do what was asked: an instance did not start, its checks failed while provisioning, the cloud
 * refused. The message is complete on its own (what, which instance, the last error, the log's tail).
 */
public class TargetException extends Exception {

    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
