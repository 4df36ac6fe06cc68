<#--
  A minimal Apache Tomcat 11 conf/server.xml: one HTTP/1.1 connector, no shutdown port, no AJP, an access log.
  Render it to <tomcat>/conf/server.xml (e.g. to: opt/tomcat/conf/server.xml).

  Required variables:
    instance.ports.http   the connector's port (the role declares ports: { http: 8080 })
    instance.address      on the local target the connector listens on it only; on clouds on every interface
    site.target, site.name, service.name, instance.name
  Optional:
    values.tomcat.maxThreads       (default 200)
    values.tomcat.connectionTimeout in milliseconds (default 20000)
    values.tomcat.deployIgnore     a regular expression of webapps/ folders not deployed (default Tomcat's own
                                   docs, examples, manager and host-manager: half its start, and not for production)
-->
<?xml version="1.0" encoding="UTF-8"?>
<!-- Rendered by itsvc for ${service.name?xml} ${instance.name?xml} (site ${site.name?xml}). Do not edit: edit the template. -->
<!-- port="-1": no shutdown port; itsvc stops Tomcat with a signal (systemd or the local target). -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />

  <Service name="Catalina">
    <!-- HTTP only; no AJP connector. -->
    <Connector port="${instance.ports.http?c}"<#if site.target == "local"> address="${instance.address?xml}"</#if>
               protocol="HTTP/1.1"
               maxThreads="${(values.tomcat.maxThreads)!200}"
               connectionTimeout="${(values.tomcat.connectionTimeout)!20000}" />

    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"
            deployIgnore="${((values.tomcat.deployIgnore)!'^(docs|examples|manager|host-manager)$')?xml}">
        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
               prefix="localhost_access_log" suffix=".txt"
               pattern="%h %l %u %t &quot;%r&quot; %s %b" />
        <Valve className="org.apache.catalina.valves.ErrorReportValve"
               showReport="false" showServerInfo="false" />
      </Host>
    </Engine>
  </Service>
</Server>
