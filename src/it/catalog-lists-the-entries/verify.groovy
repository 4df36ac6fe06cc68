// The checks every IT shares: expected.txt.
evaluate(new File(itShared, 'verify.groovy'))

// One line an entry, each entry once, in the catalog's order.
List<String> log = new File(basedir, 'build.log').readLines('UTF-8')
List<String> entries = log.findResults { (it =~ /^\[INFO\]   ([a-z][a-z0-9-]*)  /).with { m -> m.find() ? m.group(1) : null } }
assert entries == ['landing-page', 'message-broker', 'git-hosting', 'single-sign-on', 'dev-appliance'] : entries
return true
