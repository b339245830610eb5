"""The WSGI application the end-to-end tests run under a real Gunicorn.

Routes (all GET, plain-text answers):
  /health          answers at once
  /slow?s=N        sleeps N seconds (cooperative under gevent, which patches time.sleep)
  /cpu?ms=N        keeps the CPU busy for N milliseconds
  /mem?mb=N&hold=S allocates N MiB, touches every page, holds it S seconds (0.1 by default)
  /redis           increments a counter in Redis over a raw socket (RESP), so no client library is needed;
                   the server is APP_REDIS_SOCKET (a Unix socket) or APP_REDIS_HOST and APP_REDIS_PORT
Only the standard library is used, so Debian's python3 runs it under the sync and the gevent worker alike.
"""

import os
import socket
import time
from urllib.parse import parse_qs

PAGE = 4096


def health(query):
    return b"ok\n"


def slow(query):
    seconds = float(query.get("s", ["1"])[0])
    time.sleep(seconds)
    return b"slept %.3f\n" % seconds


def cpu(query):
    milliseconds = float(query.get("ms", ["10"])[0])
    deadline = time.perf_counter() + milliseconds / 1000.0
    spins = 0
    while time.perf_counter() < deadline:
        spins += 1
    return b"spun %d\n" % spins


def mem(query):
    megabytes = int(query.get("mb", ["10"])[0])
    hold = float(query.get("hold", ["0.1"])[0])
    block = bytearray(megabytes * 1024 * 1024)
    # Touch every page so the memory is really resident, not just reserved.
    for offset in range(0, len(block), PAGE):
        block[offset] = 1
    time.sleep(hold)
    return b"held %d MiB\n" % megabytes


def redis_connection():
    path = os.environ.get("APP_REDIS_SOCKET")
    if path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
        return connection
    host = os.environ.get("APP_REDIS_HOST", "127.0.0.1")
    port = int(os.environ.get("APP_REDIS_PORT", "6379"))
    return socket.create_connection((host, port))


def resp_command(*words):
    parts = [b"*%d\r\n" % len(words)]
    for word in words:
        data = word.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def redis(query):
    connection = redis_connection()
    try:
        connection.sendall(resp_command("INCR", "app:writes"))
        reply = b""
        while not reply.endswith(b"\r\n"):
            chunk = connection.recv(256)
            if not chunk:
                raise OSError("Redis closed the connection")
            reply += chunk
    finally:
        connection.close()
    if not reply.startswith(b":"):
        raise OSError("unexpected Redis reply %r" % reply)
    return b"writes " + reply[1:]


ROUTES = {"/health": health, "/slow": slow, "/cpu": cpu, "/mem": mem, "/redis": redis}


def application(environ, start_response):
    handler = ROUTES.get(environ.get("PATH_INFO", "/"))
    if handler is None:
        status, body = "404 Not Found", b"no such route\n"
    else:
        try:
            status, body = "200 OK", handler(parse_qs(environ.get("QUERY_STRING", "")))
        except ValueError as error:
            status, body = "400 Bad Request", str(error).encode() + b"\n"
        except OSError as error:
            status, body = "503 Service Unavailable", str(error).encode() + b"\n"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
