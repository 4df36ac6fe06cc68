package io.github.itsvc.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The user's input (service definition, site, template) is wrong in ways the user can fix. Carries every problem
 * found, each with file:line:column and a fix, so one build reports them all. The Mojos turn it into a
 * {@code MojoFailureException} with the same text and no stack trace.
 */
public class InvalidInputException extends Exception {

    private final List<Problem> problems;

    public InvalidInputException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidInputException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        String header = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return problems.stream()
                .map(Problem::toString)
                .collect(Collectors.joining(System.lineSeparator(), header + ":" + System.lineSeparator(), ""));
    }
}
