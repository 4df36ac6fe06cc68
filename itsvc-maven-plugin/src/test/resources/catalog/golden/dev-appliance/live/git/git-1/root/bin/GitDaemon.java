import java.io.File;
import java.net.InetSocketAddress;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.resolver.FileResolver;

/** JGit's git daemon: git://address:port/name.git for every bare repository under base, push included. */
public class GitDaemon {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: GitDaemon <address> <port> <base directory> [repository...]");
            System.exit(2);
        }
        File base = new File(args[2]).getAbsoluteFile();
        for (int i = 3; i < args.length; i++) {
            File repository = new File(base, args[i] + ".git");
            if (!repository.exists()) {
                Git.init().setBare(true).setDirectory(repository).call().close();
                System.out.println("created " + repository);
            }
        }
        Daemon daemon = new Daemon(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
        daemon.setRepositoryResolver(new FileResolver<DaemonClient>(base, true));
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.start();
        System.out.println("serving " + base + " on git://" + args[0] + ":" + args[1] + "/");
        Thread.currentThread().join();
    }
}
