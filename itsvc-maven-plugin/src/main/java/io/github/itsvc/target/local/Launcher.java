package io.github.itsvc.target.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a service is detached from Maven so it outlives it and its terminal. Best first: {@code setsid} (util-linux)
 * puts it in a new session, away from the terminal's hangup and Ctrl-C; {@code perl} does the same through
 * POSIX::setsid where util-linux is missing (macOS); {@code nohup}, the last resort, only makes it ignore the
 * terminal's signals (HUP, INT, QUIT, TSTP) and leaves it in Maven's process group.
 *
 * <p>A Java child is never a process group leader, so setsid(1) calls setsid() and execs without forking: the pid
 * Java sees is the service's pid.
 */
final class Launcher {

    static final String SETSID = "setsid";
    static final String PERL = "perl";
    static final String NOHUP = "nohup";

    private static final String PERL_SETSID =
            "use POSIX (); POSIX::setsid() or die \"itsvc: setsid: $!\\n\"; exec { $ARGV[0] } @ARGV or die \"itsvc: exec $ARGV[0]: $!\\n\";";

    private final String name;
    private final List<String> prefix;

    private Launcher(String name, List<String> prefix) {
        this.name = name;
        this.prefix = List.copyOf(prefix);
    }

    static Launcher detect() {
        Optional<Path> setsid = onPath("setsid");
        if (setsid.isPresent()) {
            return setsid(setsid.get());
        }
        return onPath("perl").map(Launcher::perl).orElseGet(Launcher::nohup);
    }

    static Launcher setsid(Path executable) {
        return new Launcher(SETSID, List.of(executable.toString()));
    }

    static Launcher perl(Path executable) {
        return new Launcher(PERL, List.of(executable.toString(), "-e", PERL_SETSID));
    }

    static Launcher nohup() {
        return new Launcher(NOHUP, List.of());
    }

    String name() {
        return name;
    }

    /**
     * The command line that runs {@code run} in the instance root. The shell writes its own pid to {@code pidFile}
     * before exec (the pid survives exec), so a starter killed before recording the pid leaves a trail.
     */
    List<String> command(String run, Path pidFile) {
        String ignore = NOHUP.equals(name) ? "trap '' HUP INT QUIT TSTP; " : ""; // ignored signals survive exec
        String script = ignore + "echo $$ > \"$1\"; shift; exec " + run;
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("/bin/sh", "-c", script, "itsvc", pidFile.toString()));
        return cmd;
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>();
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")); // PATH may be trimmed under CI
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
