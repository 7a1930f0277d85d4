"""gunicorn settings for consult: `gunicorn -c python:consult.gunicorn_conf 'consult:create_app()'`.

The access log keeps method, path (no query string), status, size and duration:
no client address, user agent, referrer or time of the request (PRODUCT.md promise 1).
"""

import os

bind = os.environ.get("CONSULT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CONSULT_WORKERS", "2"))
threads = int(os.environ.get("CONSULT_THREADS", "1"))
accesslog = os.environ.get("CONSULT_ACCESS_LOG", "-")
errorlog = "-"
#: %(m)s method, %(U)s path without query, %(s)s status, %(B)s bytes, %(M)s milliseconds.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
#: Do not trust X-Forwarded-For for anything: it is never logged or stored either way.
forwarded_allow_ips = os.environ.get("CONSULT_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
timeout = 30
graceful_timeout = 20
