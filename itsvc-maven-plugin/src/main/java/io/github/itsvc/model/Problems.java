package io.github.itsvc.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects the problems of one file, so that one run reports them all, in file order. Shared with the other core
 * packages that read YAML (see {@link Yaml}).
 */
public final class Problems {

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    /** @param file the file as the user sees it, e.g. {@code src/main/itsvc/service.yaml} */
    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public Location at(Node node) {
        return node.getStartMark().map(this::at).orElse(Location.of(file));
    }

    /** snakeyaml marks are 0-based; editors and compilers count from 1. */
    public Location at(Mark mark) {
        return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    public void add(Node node, String message, String fix) {
        add(at(node), message, fix);
    }

    public void add(Location location, String message, String fix) {
        problems.add(new Problem(location, message, fix));
    }

    public int count() {
        return problems.size();
    }

    /** Throws every problem found, sorted by position (stable: problems at one spot keep the order found). */
    public void throwIfAny() throws InvalidInputException {
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.<Problem>comparingInt(p -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            throw new InvalidInputException(sorted);
        }
    }
}
