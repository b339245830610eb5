# /etc/gunicorn/gunicorn.conf.py on web-1 (4 vCPU VM, systemd)
import multiprocessing

bind = "127.0.0.1:8000"
workers = 2
worker_class = "sync"
accesslog = "/var/log/gunicorn/access.log"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s busy=%({x-busy}i)s'
errorlog = "/var/log/gunicorn/error.log"
loglevel = "info"
