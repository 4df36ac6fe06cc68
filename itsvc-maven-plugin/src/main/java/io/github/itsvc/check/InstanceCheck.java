package io.github.itsvc.check;

import io.github.itsvc.model.Check;
import java.util.Objects;

/** One check of a role, to run against one of the role's instances. */
public record InstanceCheck(Check check, Endpoint endpoint) {

    public InstanceCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The check's stable name, as {@link Checks#name} makes it. */
    public String name() {
        return Checks.name(check, endpoint);
    }
}
