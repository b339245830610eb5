# Gunicorn configuration for the orders service.
# Deployed by ansible; see https://docs.gunicorn.org/en/stable/settings.html
import multiprocessing
import os
from uvicorn.workers import UvicornWorker

bind = "unix:/run/gunicorn.sock"
backlog = 2_048

workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = 4
worker_connections = 0x400
timeout = 2 * 60  # reports take long
graceful_timeout = 30
keepalive = 5
max_requests = 1000
max_requests_jitter = 50
worker_tmp_dir = "/dev/shm"
preload_app = True

accesslog = "-"
errorlog = '-'
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
    '"%(f)s" "%(a)s" rt=%(L)s'
)
statsd_host = "localhost:8125"
statsd_prefix = 'orders'

forwarded_allow_ips = "10.0.0.0/8,127.0.0.1"
secure_scheme_headers = {
    "X-FORWARDED-PROTO": "https",
}
raw_env = ["DJANGO_SETTINGS_MODULE=orders.settings", "SECRET_KEY=s3cr3t-value"]

# Mistakes the reader must report.
preload = True
max_requests_jitter = -5
limit_request_line = work_limit()
TIMEOUT = 300

if os.environ.get("DEBUG"):
    reload = True
    loglevel = "debug"


def when_ready(server):
    server.log.info("orders ready")


def post_fork(server, worker):
    from orders.db import reset_pool
    reset_pool()


def worker_abort(worker):
    worker.log.warning("aborted %s", worker.pid)
