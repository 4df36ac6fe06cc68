// svc/ = the generated service with overlay/, plus a Maven repository on disk (svc/repo) holding
// com.example:tool:txt:1.0, which svc/pom.xml declares.
evaluate(new File(itShared, 'prepare.groovy'))
File svc = new File(basedir, 'svc')
File artifact = new File(svc, 'repo/com/example/tool/1.0/tool-1.0.txt')
artifact.parentFile.mkdirs()
artifact.setText('hello tool\n', 'UTF-8')
File pom = new File(svc, 'pom.xml')
String repositories = """
  <repositories>
    <repository>
      <id>on-disk</id>
      <url>${new File(svc, 'repo').toURI()}</url>
    </repository>
  </repositories>

  <build>"""
pom.setText(pom.getText('UTF-8').replaceFirst(/\n  <build>/, repositories), 'UTF-8')
assert pom.getText('UTF-8').contains('<id>on-disk</id>')
return true
