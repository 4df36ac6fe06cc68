import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;

/** Polls repositories, builds every new branch head with a command, and lists the builds at /builds. */
public class BuildTrigger {

    /** One build: what it built and how it ended (null while running). */
    static final class Build {
        final String repository;
        final String branch;
        final String commit;
        volatile String result;

        Build(String repository, String branch, String commit) {
            this.repository = repository;
            this.branch = branch;
            this.commit = commit;
        }

        String line() {
            return repository + " " + branch + " " + commit + " " + (result == null ? "RUNNING" : result);
        }
    }

    static final List<Build> builds = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: BuildTrigger <address> <port> <work directory> <poll seconds> <build command>"
                    + " <repository URI>...");
            System.exit(2);
        }
        Path work = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(work.resolve("logs"));
        long pollMillis = Long.parseLong(args[3]) * 1000;
        String command = args[4];
        List<String> repositories = List.of(args).subList(5, args.length);

        HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 0);
        server.createContext("/builds", exchange -> serve(exchange, work));
        server.start();
        System.out.println("build trigger on http://" + args[0] + ":" + args[1] + "/builds, polling " + repositories
                + " every " + args[3] + "s, building with: " + command);

        Map<String, String> seen = new HashMap<>();
        while (true) {
            for (String uri : repositories) {
                List<Ref> heads;
                try {
                    heads = new ArrayList<>(Git.lsRemoteRepository().setRemote(uri).setHeads(true).call());
                } catch (Exception e) {
                    // The git server may not be up yet, or be restarting: try again at the next poll.
                    System.out.println("cannot list " + uri + ": " + e.getMessage());
                    continue;
                }
                for (Ref head : heads) {
                    String commit = head.getObjectId().name();
                    String key = uri + " " + head.getName();
                    if (!commit.equals(seen.get(key))) {
                        seen.put(key, commit);
                        build(work, command, uri, head.getName(), commit);
                    }
                }
            }
            Thread.sleep(pollMillis);
        }
    }

    /** Clones the commit's branch and runs the command in the clone; its output goes to logs/<commit>.log. */
    static void build(Path work, String command, String uri, String ref, String commit) {
        String branch = ref.replaceFirst("^refs/heads/", "");
        Build build = new Build(uri, branch, commit);
        builds.add(build);
        System.out.println("building " + build.line());
        File checkout = work.resolve("checkouts").resolve(commit).toFile();
        File log = work.resolve("logs").resolve(commit + ".log").toFile();
        try {
            try (Git git = Git.cloneRepository().setURI(uri).setBranch(ref).setDirectory(checkout).call()) {
                git.checkout().setName(commit).call();
            }
            Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(checkout)
                    .redirectErrorStream(true).redirectOutput(log).start();
            process.getOutputStream().close();
            int exit = process.waitFor();
            build.result = exit == 0 ? "SUCCESS" : "FAILURE exit " + exit;
        } catch (Exception e) {
            build.result = "FAILURE " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        System.out.println("built " + build.line());
    }

    static void serve(HttpExchange exchange, Path work) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        int status = 200;
        if (path.equals("/builds") || path.equals("/builds/")) {
            StringBuilder text = new StringBuilder();
            for (Build build : builds) {
                text.append(build.line()).append('\n');
            }
            body = text.toString().getBytes(StandardCharsets.UTF_8);
        } else if (path.matches("/builds/[0-9a-f]{40}\\.log")) {
            Path log = work.resolve("logs").resolve(path.substring("/builds/".length()));
            if (Files.isRegularFile(log)) {
                body = Files.readAllBytes(log);
            } else {
                status = 404;
                body = "no such build\n".getBytes(StandardCharsets.UTF_8);
            }
        } else {
            status = 404;
            body = "not found: GET /builds or /builds/<commit>.log\n".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
