"""gunicorn's settings for an app host: `gunicorn -c deploy/gunicorn.conf.py 'portal:create_app()'`.

The same file on every host. What differs between hosts (the address to listen on,
the proxy's address) comes from the command line or from GUNICORN_CMD_ARGS in
/etc/portal/env, which gunicorn reads itself; both win over this file.
"""

import multiprocessing

bind = ["127.0.0.1:8000"]
# About two per core: the work is Python (validation, encryption, PDF checks) and waits
# on the database. Two threads each, so a slow upload does not hold a whole worker.
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = 2
# Uploads are checked in the worker: a 10 MB PDF is parsed and scanned in seconds.
timeout = 60
graceful_timeout = 30
keepalive = 2
# Workers are renewed now and then, so memory kept by one big upload does not stay.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy may say a request came over https (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"
# The proxy writes the access log (without private tokens, deploy/nginx/portal-http.conf);
# gunicorn's own log (and the portal's JSON lines) go to standard error, i.e. journald.
accesslog = None
errorlog = "-"
loglevel = "info"
# Nothing of a request's body or headers is ever logged.
capture_output = False
proc_name = "portal"
