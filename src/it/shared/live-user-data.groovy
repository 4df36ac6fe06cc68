// For the openstack ITs of catalog entries: a closure (itDir, site, instances, texts) that checks the user-data
// provision rendered for each instance of the site (svc/target/itsvc/<site>/<role>/<instance>/cloud-init/user-data,
// what went to Nova): it has each of texts, and Debian's `cloud-init schema` accepts it (the fake compute driver runs
// no user-data, so the validator is what proves it). Returns nothing; fails with every problem found.
return { File itDir, String site, List<String> instances, List<String> texts ->
    List<String> problems = []
    File siteDir = new File(itDir, "svc/target/itsvc/${site}")
    for (String instance : instances) {
        String role = instance.replaceFirst(/-\d+$/, '')
        File userData = new File(siteDir, "${role}/${instance}/cloud-init/user-data")
        if (!userData.isFile()) {
            problems << "no user-data rendered for ${instance}: ${userData}"
            continue
        }
        String text = userData.getText('UTF-8')
        texts.findAll { !text.contains(it) }.each { problems << "${userData} has no ${it}" }
        Process p = new ProcessBuilder('cloud-init', 'schema', '--config-file', userData.path).redirectErrorStream(true)
                .start()
        String output = p.inputStream.getText('UTF-8')
        if (p.waitFor() != 0) {
            problems << "cloud-init schema refused ${userData}:\n${output}"
        } else {
            println "cloud-init schema: ${userData}: ${output.readLines().find { it.trim() } ?: 'valid'}"
        }
    }
    assert problems.isEmpty(): problems.join('\n')
}
