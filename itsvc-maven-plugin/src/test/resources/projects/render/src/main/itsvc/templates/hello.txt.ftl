${values.greeting} from ${service.name} ${instance.name} on port ${instance.ports.http}
