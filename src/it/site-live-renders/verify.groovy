// The checks every IT shares: expected.txt; for a failure, a fix hint, no stack trace, nothing left behind.
evaluate(new File(itShared, 'verify.groovy'))

// The live site, and only it, was rendered, with the live site's values.
File output = new File(basedir, 'svc/target/itsvc')
assert !new File(output, 'dev').exists() : 'rendering live also rendered dev'
File instance = new File(output, 'live/web/web-1')
def rendered = { String path ->
    File file = new File(instance, path)
    assert file.isFile() : "not rendered: ${file}"
    file.getText('UTF-8')
}
String index = rendered('root/opt/tomcat/webapps/ROOT/index.html')
assert index.contains('<title>team-wiki</title>') : "index.html lacks the live site's title:\n${index}"
assert index.contains('<dd>live</dd>') : "index.html lacks the site's name:\n${index}"
rendered('root/opt/tomcat/conf/server.xml')
String userData = rendered('cloud-init/user-data')
assert userData.startsWith('#cloud-config\n') : "user-data does not start with #cloud-config:\n${userData}"
return true
