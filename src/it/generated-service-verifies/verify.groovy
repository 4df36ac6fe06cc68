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
String serverXml = rendered('root/opt/tomcat/conf/server.xml')
assert serverXml =~ /<Connector\b[^>]*\bport="8080"/ : "server.xml has no Connector on port 8080:\n${serverXml}"
String index = rendered('root/opt/tomcat/webapps/ROOT/index.html')
assert index.contains('<title>team-wiki (dev)</title>') : "index.html lacks the dev site's title:\n${index}"
assert index.contains('<dd>web-1</dd>') : "index.html lacks the instance's name:\n${index}"
String userData = rendered('cloud-init/user-data')
assert userData.startsWith('#cloud-config\n') : "user-data does not start with #cloud-config:\n${userData}"
return true
