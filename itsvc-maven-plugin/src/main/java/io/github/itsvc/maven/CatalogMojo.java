package io.github.itsvc.maven;

import io.github.itsvc.catalog.Catalog;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists the itsvc catalog: the services the archetype generates with {@code -Dtemplate=<entry>}, one line each,
 * from the template jar among this plugin's dependencies (itsvc-templates of the same version, unless a project pins
 * another). Needs no project: {@code mvn io.github.itsvc:itsvc-maven-plugin:catalog} works anywhere.
 */
@Mojo(name = "catalog", requiresProject = false, threadSafe = true)
public class CatalogMojo extends AbstractMojo {

    /** This plugin's version: the archetype of the same version carries the same catalog. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
    private String pluginVersion;

    @Override
    public void execute() throws MojoExecutionException {
        Catalog catalog;
        try {
            catalog = Catalog.load(getClass().getClassLoader());
        } catch (IOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        getLog().info("The itsvc catalog: generate one with");
        getLog().info("  mvn archetype:generate -DarchetypeGroupId=io.github.itsvc -DarchetypeArtifactId=itsvc-archetype"
                + " -DarchetypeVersion=" + pluginVersion + " -Dtemplate=<entry>");
        getLog().info("");
        catalog.lines().forEach(line -> getLog().info("  " + line));
    }
}
