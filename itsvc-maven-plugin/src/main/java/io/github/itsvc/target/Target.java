package io.github.itsvc.target;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import io.github.itsvc.render.DataModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a site's instances run: {@code local} (this machine) or a cloud. One implementation per {@code target:}
 * value; the goals only see this interface, through {@link Provisioner}.
 *
 * <p>A target is bound to one service and one site. The target itself is the source of truth: {@link #discover()}
 * finds what exists from the target (state files beside the processes, cloud metadata), never from a build's
 * memory, so a killed run is finished by the next one.
 */
public interface Target {

    /**
     * Where each instance will run: address, ports and instance root, fed into rendering. An instance that exists
     * keeps its placement (so its URLs, and its config digest, stay the same across runs).
     */
    DataModel.Placements placements() throws TargetException, IOException;

    /** Every instance of this service and site that exists on the target, running or not. */
    List<Instance> discover() throws TargetException, IOException;

    /**
     * Carries out the changes for one role (called for the roles in start order, deletions of roles gone first).
     *
     * @param role the role; {@code null} for instances of roles no longer in the service (only deletions)
     * @param changes the role's changes, from {@link Plan#between}
     * @param binaries every verified binary of the service, by name
     * @return the role's instances as they now are
     */
    List<Instance> apply(Role role, List<Change> changes, Map<String, VerifiedBinary> binaries)
            throws TargetException, IOException;

    /** Removes everything itsvc made for this service and site on the target, and nothing else. */
    void destroy() throws TargetException, IOException;

    /**
     * Where a {@code command} check of an instance runs: the instance's root where the target keeps it on this
     * machine; {@code null} (the project's directory) where it does not, as on clouds.
     *
     * @param instance the instance's name, {@code <role>-<index>}
     */
    default Path checkDirectory(String instance) {
        return null;
    }

    /**
     * Whether replaced instances go one at a time; then the provisioner has each pass its role's checks (where the plan
     * runs them) before the next is replaced.
     */
    default boolean rolling() {
        return true;
    }

    /**
     * Whether a replaced instance's successor comes up beside it, on an address of its own, before the old one goes
     * ("surge"). Then the provisioner plans with {@link #placements(Set)}, has each successor pass its role's checks,
     * and calls {@link #retire} (or {@link #withdraw} when it fails); otherwise {@link #apply} replaces in place.
     */
    default boolean surge() {
        return false;
    }

    /**
     * Like {@link #placements()}, but each named instance is placed where its successor will run: a fresh address
     * (the instance itself keeps its own until it is retired). Only asked of targets that {@link #surge()}.
     *
     * @param renewed the instances that will be replaced, {@code <role>-<index>}
     */
    default DataModel.Placements placements(Set<String> renewed) throws TargetException, IOException {
        return placements();
    }

    /**
     * Removes the predecessors of replaced instances whose successors {@link #apply} brought up and that passed their
     * checks: the old servers and the addresses only they used. A no-op where {@link #apply} replaces in place.
     */
    default void retire(Role role, List<Change> replaced) throws TargetException, IOException {}

    /**
     * Undoes replacements that did not go through (a successor failed, or the run stopped before it came to them):
     * removes their successors and fresh addresses, so the old instances keep serving their previous configuration.
     * Never called for a change once {@link #retire} was asked for it.
     */
    default void withdraw(List<Change> replaced) throws TargetException, IOException {}

    /** How replaced instances go, for the plan: "one at a time: ...". */
    default String replaceOrder() {
        return "one at a time: each is stopped, then started anew in its place (it keeps its address and ports),"
                + " and the next goes once it runs";
    }

    /**
     * Lets go of what this run holds on the target, such as the openstack target's lock on the cloud; the provisioner
     * calls it when its run ends, however it ends. Never throws: a failure is logged.
     */
    default void release() {}

    /** The last lines an instance logged, for failure reports; empty when the target has no logs to show. */
    String logTail(Instance instance, int lines) throws IOException;
}
