package io.github.itsvc.maven;

import javax.inject.Named;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.apache.maven.artifact.handler.ArtifactHandler;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;

/**
 * The artifact of an {@code itsvc} project: the bundle {@code bundle} writes, a zip of the rendered site. Never on a
 * class path.
 */
@Singleton
@Named(ItsvcLifecycleMappingProvider.PACKAGING)
public final class ItsvcArtifactHandlerProvider implements Provider<ArtifactHandler> {

    private final ArtifactHandler handler;

    public ItsvcArtifactHandlerProvider() {
        DefaultArtifactHandler h = new DefaultArtifactHandler(ItsvcLifecycleMappingProvider.PACKAGING);
        h.setExtension("zip");
        h.setLanguage("none");
        h.setAddedToClasspath(false);
        h.setIncludesDependencies(false);
        this.handler = h;
    }

    @Override
    public ArtifactHandler get() {
        return handler;
    }
}
