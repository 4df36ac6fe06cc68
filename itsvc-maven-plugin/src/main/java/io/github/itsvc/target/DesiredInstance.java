package io.github.itsvc.target;

import io.github.itsvc.model.Role;
import io.github.itsvc.render.DataModel;
import java.nio.file.Path;

/**
 * An instance as the service and site want it: rendered, with the digest of everything it runs.
 *
 * @param role the role
 * @param index from 1
 * @param placement where it runs (address, ports, root)
 * @param rendered its rendered directory, {@code target/itsvc/<site>/<role>/<instance>} ({@code root/},
 *     {@code cloud-init/user-data})
 * @param configDigest SHA-256 over its rendered files, its binaries' hashes and its run command
 */
public record DesiredInstance(Role role, int index, DataModel.Placement placement, Path rendered,
        String configDigest) {

    public String name() {
        return DataModel.instanceName(role.name(), index);
    }
}
