{
  "targets": [
    {
      "target_name": "unix_fds",
      "sources": ["native/unix_fds.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
