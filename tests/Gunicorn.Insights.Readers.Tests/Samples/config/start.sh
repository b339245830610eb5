#!/bin/sh
set -e

python manage.py migrate --noinput
python manage.py collectstatic --noinput

export PROMETHEUS_MULTIPROC_DIR=/tmp/metrics
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

exec ddtrace-run gunicorn orders.wsgi:application \
    --config /etc/orders/gunicorn.conf.py \
    --workers "$WORKERS" \
    --worker-class 'gevent' \
    --bogus-flag \
    --timeout abc \
    --access-logfile - 2>&1
