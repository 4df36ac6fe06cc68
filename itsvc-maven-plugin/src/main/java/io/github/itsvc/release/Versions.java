package io.github.itsvc.release;

import java.util.Locale;
import org.semver4j.Semver;

/** Release versions: semantic versions, Maven's {@code -SNAPSHOT} dropped, and the change levels subscriptions accept. */
public final class Versions {

    /** How much change a subscription accepts from the release it runs. */
    public enum Level {
        /** 1.4.0 to 1.4.x only. */
        PATCH,
        /** 1.4.0 to 1.x.y. */
        MINOR,
        /** Any newer release. */
        MAJOR;

        public static Level parse(String value) {
            return value == null ? null : switch (value.toLowerCase(Locale.ROOT)) {
                case "patch" -> PATCH;
                case "minor" -> MINOR;
                case "major" -> MAJOR;
                default -> null;
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Versions() {}

    /** The version a project version releases as: {@code 1.4.0-SNAPSHOT} releases as {@code 1.4.0}. */
    public static String releaseVersion(String projectVersion) throws ReleaseException {
        String version = projectVersion.endsWith("-SNAPSHOT")
                ? projectVersion.substring(0, projectVersion.length() - "-SNAPSHOT".length()) : projectVersion;
        if (Semver.parse(version) == null) {
            throw new ReleaseException("version '" + projectVersion + "' is not a semantic version (MAJOR.MINOR.PATCH)",
                    "set <version> in pom.xml to one like 1.4.0-SNAPSHOT, or pass -Ditsvc.release=1.4.0");
        }
        return version;
    }

    public static Semver parse(String version) {
        return Semver.parse(version);
    }

    /** The tag name of a release. */
    public static String tag(String version) {
        return "v" + version;
    }

    /** The level of change from one release to another: {@code 1.4.0 -> 1.5.2} is a minor change. */
    public static Level change(Semver from, Semver to) {
        if (from.getMajor() != to.getMajor()) {
            return Level.MAJOR;
        }
        return from.getMinor() != to.getMinor() ? Level.MINOR : Level.PATCH;
    }

    /** Whether a subscription accepting {@code level} takes {@code to} when it runs {@code from}. */
    public static boolean accepts(Level level, Semver from, Semver to) {
        return change(from, to).ordinal() <= level.ordinal();
    }
}
