<#--
  Starts the build trigger (BuildTrigger.java beside this template) in the foreground on the role's port `http`:
  it polls every repository of the service's git role and runs the site's build command on every new branch head.

  Required: instance.ports.http, instance.address, site.target, instances.git[0] (the git role's first instance:
  address, ports.git). JGit, JavaEWAH and SLF4J's API are unpacked into opt/lib/<name>; Java 17 or later is
  JAVA_HOME's, or the one on the PATH.
  Site values (optional):
    values.repositories   the git role's repositories to build (default [services])
    values.build          the build command, run by /bin/sh in the clone (default: mvn -B verify)
    values.pollSeconds    how often to look for new commits (default 5)
-->
<#-- A single-quoted shell word. -->
<#function q text><#return "'" + text?replace("'", "'\\''") + "'"></#function>
<#assign git = instances.git[0]>
#!/bin/sh
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
set -eu
java="${r"${JAVA_HOME:+$JAVA_HOME/bin/}"}java"
exec "$java" -cp opt/lib/jgit:opt/lib/javaewah:opt/lib/slf4j-api bin/BuildTrigger.java \
    ${q((site.target == "local")?then(instance.address, "0.0.0.0"))} ${instance.ports.http?c} var/builds ${(values.pollSeconds!5)?c} \
    ${q(values.build!"mvn -B verify")}<#list values.repositories!["services"] as repository> ${q("git://" + git.address + ":" + git.ports.git?c + "/" + repository + ".git")}</#list>
