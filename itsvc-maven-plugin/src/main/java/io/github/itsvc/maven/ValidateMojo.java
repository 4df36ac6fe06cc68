package io.github.itsvc.maven;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Schemas;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Validates the service definition ({@code service.yaml}) and the chosen site ({@code sites/<site>.yaml}): every
 * problem is reported with file:line:column and a fix. Also writes the JSON Schemas of both files to
 * {@code target/itsvc/schema/}, where the generated YAML files' {@code # yaml-language-server: $schema=} lines point,
 * so IDEs complete and check them.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends AbstractItsvcMojo {

    @Override
    protected void run() throws InvalidInputException, IOException {
        // Schemas first: they help most when the definition is wrong.
        Schemas.copyTo(outputDirectory.toPath().resolve("schema"));
        var reader = definitionReader();
        Service service = reader.readService();
        Site chosen = reader.readSite(site);
        getLog().info("Service " + service.name() + " (" + count(service.roles().size(), "role", "roles") + ", "
                + count(service.binaries().size(), "binary", "binaries") + ") and site " + chosen.name()
                + " (target " + chosen.target() + ") are valid");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
