"""Theory of operation: many engine processes behind Kamailio.

One pjsua2 process holds 4 calls, so `dialplan serve --processes N` runs N workers, each
a full service (its own endpoint, SIP port and RTP range), with Kamailio in front on the
public port spreading calls by load (or, with `--proxy none`, no proxy: the operator's
own Kamailio or `dialplan proxy` dispatches to several hosts). The supervisor
(supervisor.py) imports everything, freezes the GC and only then forks, so workers share
the code pages. It runs no event loop itself: it forks, waits for signals, and acts:

- a worker that dies is forked again into its slot (its calls are lost, counted from
  the load board, and its callers leave every queue); one whose event loop stops
  beating for `hung_after` seconds is hung, and is killed to be replaced the same way;
- a worker retires: it leaves the proxy's rotation (so no INVITE reaches it while it
  shuts down), drains without hurry (SIGUSR1), exits, and a fresh process takes its
  slot and its place in the rotation. That happens when its engine is worn out (the
  wheel leaks a bridge slot per call) and, slot by slot, in a rolling restart (SIGUSR2
  or POST /restart): the next retires only once the last one's successor is ready;
  no call is lost;
- a reload (a plan file changed, seen by the watcher thread, or SIGHUP) is checked
  once, by the supervisor; only a clean plan set is published (published_plans.py)
  and every worker reloads exactly that (a worker never reads the folder), so a
  broken edit switches none;
- Kamailio is watched and restarted when it exits; a worker that exits leaves its
  dispatcher list, its successor joins under a fresh identity (pool_proxy.py);
- SIGTERM drains every worker, then stops Kamailio last.

The loop never sleeps: it waits on one selector (wakeup.py) for signals, the watcher,
the admin thread and the readiness pipes of workers being started, with a timeout for
what the clock brings (hung checks, the proxy's probe, a fork put off by a backoff).
"""
