"""A varlink peer from Python's standard library that passes fds (socket.send_fds/recv_fds).

  peer.py client SOCKET   calls org.example.fds.Read with a pipe's fd, then Open, and prints what it read
  peer.py server SOCKET   answers Read (reads the fd it got) and Open (replies with a pipe's fd), one client
"""
import json
import os
import socket
import sys


def recv_message(sock, pending):
    """One NUL-terminated message and the fds that came while reading it."""
    fds = []
    while b"\0" not in pending[0]:
        data, got, _flags, _addr = socket.recv_fds(sock, 65536, 253)
        fds.extend(got)
        if not data:
            return None, fds
        pending[0] += data
    message, _, rest = pending[0].partition(b"\0")
    pending[0] = rest
    return json.loads(message), fds


def send_message(sock, value, fds=()):
    data = json.dumps(value).encode() + b"\0"
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.sendall(data)


def pipe_with(text):
    read_end, write_end = os.pipe()
    os.write(write_end, text.encode())
    os.close(write_end)
    return read_end


def read_fd(fd):
    chunks = []
    try:
        os.lseek(fd, 0, os.SEEK_SET)
    except OSError:
        pass  # a pipe: read it from where it is
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks).decode()
        chunks.append(chunk)


def client(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    pending = [b""]
    fd = pipe_with("written by python into a pipe")
    send_message(sock, {"method": "org.example.fds.Read", "parameters": {"fd": 0}}, [fd])
    os.close(fd)
    reply, _ = recv_message(sock, pending)
    print(reply["parameters"]["text"])
    send_message(sock, {"method": "org.example.fds.Open", "parameters": {"text": "sent to python"}})
    reply, fds = recv_message(sock, pending)
    print(read_fd(fds[reply["parameters"]["fd"]]))
    for fd in fds:
        os.close(fd)
    sock.close()


def server(path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print("listening", flush=True)
    sock, _ = listener.accept()
    pending = [b""]
    while True:
        call, fds = recv_message(sock, pending)
        if call is None:
            return
        method = call["method"]
        parameters = call.get("parameters") or {}
        if method == "org.example.fds.Read":
            send_message(sock, {"parameters": {"text": read_fd(fds[parameters["fd"]])}})
        elif method == "org.example.fds.Open":
            fd = pipe_with(parameters["text"])
            send_message(sock, {"parameters": {"fd": 0}}, [fd])
            os.close(fd)
        else:
            send_message(sock, {"error": "org.varlink.service.MethodNotFound", "parameters": {"method": method}})
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    {"client": client, "server": server}[sys.argv[1]](sys.argv[2])
