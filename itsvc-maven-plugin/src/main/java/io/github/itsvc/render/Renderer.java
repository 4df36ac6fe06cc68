package io.github.itsvc.render;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a service's configuration for one site with FreeMarker, strictly: an undefined variable or a syntax error
 * is an {@link InvalidInputException} naming the template, line and column. Output is written atomically to
 * {@code <outputRoot>/<site>/}: either the whole new rendering or nothing (the previous one, if any, stays).
 */
public final class Renderer {

    /**
     * @param projectDir the project's base directory; template file names in messages are relative to it
     * @param templatesDir the service's own templates ({@code src/main/itsvc/templates}), looked up first; may not exist
     * @param templateJars the class loader whose resources hold shared template jars (templates under {@code /itsvc/})
     */
    public Renderer(Path projectDir, Path templatesDir, ClassLoader templateJars) {
        throw new UnsupportedOperationException("TODO: render helper");
    }

    /** Renders every instance of every role of the service for the site into {@code outputRoot/<site>/}. */
    public Rendering render(Service service, Site site, Path outputRoot) throws InvalidInputException, IOException {
        throw new UnsupportedOperationException("TODO: render helper");
    }
}
