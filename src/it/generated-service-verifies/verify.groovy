// The checks every IT shares: expected.txt; for a failure, a fix hint, no stack trace, nothing left behind.
evaluate(new File(itShared, 'verify.groovy'))

// The dev site was rendered: Tomcat's connector on the http port, the landing page with the dev site's title,
// and a cloud-init user-data for the instance.
File instance = new File(basedir, 'svc/target/itsvc/dev/web/web-1')
def rendered = { String path ->
    File file = new File(instance, path)
    assert file.isFile() : "not rendered: ${file}"
    file.getText('UTF-8')
}
// Provision rendered it again with the free port the local target gave the instance, which the log shows.
String serverXml = rendered('root/opt/tomcat/conf/server.xml')
def connector = serverXml =~ /<Connector\b[^>]*\bport="(\d+)"/
assert connector.find() : "server.xml has no Connector with a port:\n${serverXml}"
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains("http://127.0.0.1:${connector.group(1)}/") : "the log shows no endpoint on the connector's port"
String index = rendered('root/opt/tomcat/webapps/ROOT/index.html')
assert index.contains('<title>team-wiki (dev)</title>') : "index.html lacks the dev site's title:\n${index}"
assert index.contains('<dd>web-1</dd>') : "index.html lacks the instance's name:\n${index}"
String userData = rendered('cloud-init/user-data')
assert userData.startsWith('#cloud-config\n') : "user-data does not start with #cloud-config:\n${userData}"
return true
