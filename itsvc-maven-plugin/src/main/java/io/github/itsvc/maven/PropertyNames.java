package io.github.itsvc.maven;

/** Every {@code -D} property the itsvc goals read, in one place. */
public final class PropertyNames {

    /** The site to work on: {@code src/main/itsvc/sites/<site>.yaml}. */
    public static final String SITE = "itsvc.site";
    /** Skips every itsvc goal. */
    public static final String SKIP = "itsvc.skip";

    /** The default site. */
    public static final String DEFAULT_SITE = "dev";

    private PropertyNames() {}
}
