<#--
  An nginx reverse proxy (an http-context file, e.g. to: etc/nginx/conf.d/<service>.conf) in front of every
  instance of one role: an upstream of those instances, a server that proxy_passes to it with the usual headers.

  Required variables:
    instance.ports.http   the port this proxy listens on (the proxy role declares ports: { http: 80 })
    instances             every role's instances (address, ports), from the renderer
    role.dependsOn        the backend is the proxy role's first dependency, unless values.proxy.upstream says
    service.name, site.name, instance.name
  Optional:
    values.proxy.upstream     the backend role (default: role.dependsOn[0])
    values.proxy.port         the backend's port name (default "http")
    values.proxy.serverName   server_name (default "_": any)
    values.proxy.maxBodySize  client_max_body_size (default "10m")
-->
<#if !(values.proxy.upstream)?? && !role.dependsOn?has_content>
  <#stop "role " + role.name + " has no dependsOn: say which role to proxy with dependsOn: [<role>] or values.proxy.upstream">
</#if>
<#assign backend = (values.proxy.upstream)!(role.dependsOn[0])>
<#assign backendPort = (values.proxy.port)!"http">
<#assign upstream = service.name + "-" + backend>
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
upstream ${upstream} {
<#list instances[backend] as backendInstance>
    server ${backendInstance.address}:${backendInstance.ports[backendPort]?c};
</#list>
    keepalive 16;
}

server {
    listen ${instance.ports.http?c};
    server_name ${(values.proxy.serverName)!"_"};
    client_max_body_size ${(values.proxy.maxBodySize)!"10m"};

    access_log /var/log/nginx/${service.name}.access.log;
    error_log /var/log/nginx/${service.name}.error.log;

    location / {
        proxy_pass http://${upstream};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-Port $server_port;
    }
}
