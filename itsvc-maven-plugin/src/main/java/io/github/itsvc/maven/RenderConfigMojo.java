package io.github.itsvc.maven;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.render.Rendering;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Renders the service's configuration for the chosen site into {@code target/itsvc/<site>/}: every template of every
 * role's instances, and one cloud-init user-data per instance. The service's own templates
 * ({@code src/main/itsvc/templates/}) come first, then template jars among the plugin's dependencies.
 */
@Mojo(name = "render-config", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderConfigMojo extends AbstractItsvcMojo {

    @Override
    protected void run() throws InvalidInputException, IOException {
        var reader = definitionReader();
        var service = reader.readService();
        var chosen = reader.readSite(site);
        var renderer = renderer();
        Rendering rendering = renderer.render(service, chosen, outputDirectory.toPath());
        getLog().info("Rendered " + rendering.files().size() + (rendering.files().size() == 1 ? " file" : " files") + " for site " + chosen.name() + " into "
                + basedir.toPath().relativize(rendering.siteDir()) + " (config digest " + rendering.digest() + ")");
    }
}
