// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// build.log holds the four runs one after the other; each starts with Maven's "Scanning for projects".
List<List<String>> runs = []
new File(basedir, 'build.log').readLines('UTF-8').each { String line ->
    if (line.contains('Scanning for projects')) {
        runs << []
    }
    if (runs) {
        runs[-1] << line
    }
}
assert runs.size() == 4 : "expected 4 runs in build.log, found ${runs.size()}"

/** The run's endpoint URL (printed by provision) and its status row: pid, ports, health, config, since. */
def observe = { int run ->
    List<String> log = runs[run - 1]
    List<String> urls = log.findResults { String line ->
        def url = line =~ /^\[INFO\]\s+web-1\s+http\s+(http:\S+)$/
        url ? url[0][1] : null
    }
    List rows = log.findResults { String line ->
        def row = line =~ /^\[INFO\] web\s+web-1\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+(?: \d+\/\d+)?)\s+(\S+)\s+(.+)$/
        row ? [state: row[0][1], pid: row[0][2], ports: row[0][3], health: row[0][4], config: row[0][5],
               since: row[0][6]] : null
    }
    assert urls.size() == 1 && rows.size() == 1 : "run ${run}: no single URL and status row:\n${log.join('\n')}"
    rows[0] + [url: urls[0]]
}
def created = observe(1)
def kept = observe(2)
def replaced = observe(3)
[created, kept, replaced].eachWithIndex { seen, index ->
    assert seen.state == 'running' && seen.health == 'healthy' : "run ${index + 1}: ${seen}"
}

// 2: kept means untouched: the same process, since the same time, with the same config.
assert kept.subMap('pid', 'since', 'config', 'url') == created.subMap('pid', 'since', 'config', 'url') :
        "provision with nothing changed touched web-1:\n  before ${created}\n  after  ${kept}"
assert !runs[1].any { it =~ /Creating|Replacing|Removing/ } : 'provision with nothing changed changed something'

// 3: replaced means a new process with the new config, at the same URL; healthy now means the page shows the new
// title (the retitled definition's check expects it).
assert replaced.pid != created.pid : "web-1 was not restarted: ${replaced}"
assert replaced.config != created.config : "the config digest did not change: ${replaced}"
assert replaced.url == created.url && replaced.ports == created.ports :
        "the replaced instance moved: ${created.url} -> ${replaced.url}"

// 4: destroy removed the site's instances (and the shared checks found no process left).
assert !new File(basedir, 'svc/.itsvc/dev').exists() : 'destroy left svc/.itsvc/dev behind'
return true
