package io.github.itsvc.maven;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Validates the service definition ({@code service.yaml}) and the chosen site ({@code sites/<site>.yaml}): every
 * problem is reported with file:line:column and a fix.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends AbstractItsvcMojo {

    @Override
    protected void run() throws InvalidInputException {
        var reader = definitionReader();
        Service service = reader.readService();
        Site chosen = reader.readSite(site);
        getLog().info("Service " + service.name() + ": " + service.roles().size() + " role(s), "
                + service.binaries().size() + " binary(ies); site " + chosen.name() + " (target " + chosen.target()
                + ") is valid");
    }
}
