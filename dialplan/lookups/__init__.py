"""HTTP lookups (`fetch`), the parts with no I/O: which URLs a plan may reach and how
caller values go into them (urls.py), how a response body becomes call variables
(results.py), and how `$NAME` secrets are found and filled in (secrets.py). The
machine, the runtime's performer and the simulator all use these same rules."""
