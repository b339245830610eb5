# /etc/gunicorn/shop.conf.py on shop-2 (4 vCPU VM, nginx in front on the same host, started by systemd)
bind = "unix:/run/gunicorn/shop.sock"
workers = 9  # (2 x 4 CPUs) + 1
worker_class = "sync"
worker_tmp_dir = "/dev/shm"
timeout = 30
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = "127.0.0.1"

accesslog = "/var/log/gunicorn/access.log"
access_log_format = '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s'
errorlog = "/var/log/gunicorn/error.log"
loglevel = "info"

statsd_host = "127.0.0.1:9125"
statsd_prefix = "shop"
enable_backlog_metric = True
