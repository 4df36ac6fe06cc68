package io.github.itsvc.render;

import java.nio.file.Path;
import java.util.List;

/**
 * What a render produced.
 *
 * @param siteDir the site's output directory, {@code <outputRoot>/<site>}
 * @param files every file written, relative to {@code siteDir}, sorted
 * @param digest a SHA-256 over every file's relative path and bytes: the site's config digest
 */
public record Rendering(Path siteDir, List<String> files, String digest) {}
