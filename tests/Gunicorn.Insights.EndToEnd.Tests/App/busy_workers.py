# Server hooks appended to the gunicorn.conf.py of a scenario (after a line setting _BUSY_DIR): they add the number of
# requests in progress to each request as the X-Busy header, as "busy/capacity", so that the access-log format can
# log it with busy=%({x-busy}i)s. Each request in progress is a file in _BUSY_DIR, which every worker process shares.
# The capacity is what the pool can serve at once: one request per sync worker, threads per gthread worker,
# worker_connections per gevent or eventlet worker.
import os


def _capacity(worker):
    settings = worker.cfg
    if settings.worker_class_str in ("gevent", "eventlet"):
        return settings.workers * settings.worker_connections
    return settings.workers * max(1, settings.threads)


def _in_progress():
    count = 0
    for name in os.listdir(_BUSY_DIR):
        pid = int(name.split("-")[0])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue  # a worker killed mid-request never removed its file
        count += 1
    return count


def pre_request(worker, req):
    worker.log.debug("%s %s", req.method, req.path)
    req.busy_marker = os.path.join(_BUSY_DIR, "%d-%d" % (os.getpid(), id(req)))
    open(req.busy_marker, "w").close()
    req.headers.append(("X-BUSY", "%d/%d" % (_in_progress(), _capacity(worker))))


def post_request(worker, req, environ, resp):
    try:
        os.unlink(req.busy_marker)
    except (AttributeError, FileNotFoundError):
        pass
