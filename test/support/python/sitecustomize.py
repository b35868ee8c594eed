"""Loaded by every Python test program (run-python.ts puts this folder on PYTHONPATH).

The fake is reached through CO_API_URL, which every cohere client reads. This guard makes a request
that bypassed it (an explicit base_url / api_url to a Cohere host) fail at once and say why, instead
of reaching the real API with the fake key.
"""
import socket

_COHERE_HOSTS = {"api.cohere.com", "api.cohere.ai"}
_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name in _COHERE_HOSTS:
        raise OSError(f"cohere-migrate test fake: a request to {name} bypassed CO_API_URL")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _guarded_getaddrinfo
