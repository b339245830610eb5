# /etc/gunicorn/billing.conf.py on app-1 (2 vCPU VM behind the load balancer, started by systemd)
import multiprocessing

bind = "0.0.0.0:8000"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
timeout = 30
accesslog = "/var/log/gunicorn/access.log"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s'
errorlog = "/var/log/gunicorn/error.log"
loglevel = "info"
