package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.render.Renderer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every itsvc goal shares: where the definition lives, which site, skipping. Subclasses stay glue: they read
 * parameters, call the core once, and turn its typed failures into Maven's (see {@link #execute()}).
 */
abstract class AbstractItsvcMojo extends AbstractMojo {

    /** The project's base directory; file names in messages are relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    protected File basedir;

    /** The service definition directory: {@code service.yaml}, {@code sites/}, {@code templates/}, {@code keys/}. */
    @Parameter(property = "itsvc.definitionDirectory", defaultValue = "${project.basedir}/src/main/itsvc", required = true)
    protected File definitionDirectory;

    /** Where itsvc writes its build output: {@code <site>/} renderings, schemas, reports. */
    @Parameter(property = "itsvc.outputDirectory", defaultValue = "${project.build.directory}/itsvc", required = true)
    protected File outputDirectory;

    /** The site to work on, a file {@code sites/<site>.yaml} in the definition directory. */
    @Parameter(property = PropertyNames.SITE, defaultValue = PropertyNames.DEFAULT_SITE, required = true)
    protected String site;

    /** Skips this goal. */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    protected boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping itsvc (" + PropertyNames.SKIP + "=true)");
            return;
        }
        try {
            run();
        } catch (InvalidInputException e) {
            // The user can fix this: the message has file:line:column and a fix; no stack trace helps them.
            throw new MojoFailureException(e.getMessage());
        } catch (BinaryException e) {
            // A binary failed to fetch or verify: the message names binary, source, expected and actual.
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("I/O error: " + e.getMessage(), e);
        }
    }

    /** The goal's work, with Maven parameters already injected. */
    protected abstract void run() throws InvalidInputException, BinaryException, IOException,
            MojoExecutionException, MojoFailureException;

    protected DefinitionReader definitionReader() {
        return new DefinitionReader(basedir.toPath(), definitionDirectory.toPath());
    }

    /** The service's own templates first, then template jars among this plugin's dependencies. */
    protected Renderer renderer() {
        return new Renderer(basedir.toPath(), definitionDirectory.toPath().resolve("templates"),
                getClass().getClassLoader());
    }

    /** Where test-deployment leaves its verdict for verify-deployment, which runs after destroy. */
    protected Path resultsFile() {
        return outputDirectory.toPath().resolve("test-deployment-" + site + ".properties");
    }
}
