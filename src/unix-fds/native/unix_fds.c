// @varlink-ts/unix-fds: a unix stream socket that passes file descriptors (SCM_RIGHTS) and
// tells its peer's credentials (SO_PEERCRED). The socket is ours alone: libuv only tells us
// when it is readable or writable (uv_poll_t); reading and writing are recvmsg and sendmsg
// here, so that no ancillary data is read away by a stream implementation that ignores it.
// Every function works on plain fds; the JavaScript side owns them and closes each once.

#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <node_api.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

// The most fds one message carries, as the kernel allows (SCM_MAX_FD) and systemd uses.
#define MAX_FDS 253

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) return throw_status(env, #call);           \
  } while (0)

static napi_value throw_status(napi_env env, const char* what) {
  const napi_extended_error_info* info = NULL;
  napi_get_last_error_info(env, &info);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, "EINVAL", info != NULL && info->error_message != NULL ? info->error_message : what);
  return NULL;
}

// glibc's name for an errno (2.32 and later). Weak, so that the add-on still loads where there
// is none (an older glibc, musl): it is NULL there.
extern const char* strerrorname_np(int error) __attribute__((weak));

// The name Node gives an errno, as a net.Socket's err.code has it: libuv's. For the few that libuv
// has no name for (ETOOMANYREFS, say), glibc's where there is one, else libuv's "Unknown system
// error -N", as Node says.
static const char* errno_name(int error, char* buffer, size_t size) {
  static const char unknown[] = "Unknown system error";
  uv_err_name_r(uv_translate_sys_error(error), buffer, size);
  if (strncmp(buffer, unknown, sizeof unknown - 1) != 0) return buffer;
  const char* name = strerrorname_np != NULL ? strerrorname_np(error) : NULL;
  return name != NULL ? name : buffer;
}

// Throws an Error as Node's own for a failed system call: code (err.code === "ENOENT"), errno
// (negative, as libuv's) and syscall.
static napi_value throw_errno(napi_env env, int error, const char* syscall) {
  char buffer[64], message[256];
  const char* name = errno_name(error, buffer, sizeof buffer);
  snprintf(message, sizeof message, "%s %s: %s", syscall, name, strerror(error));
  napi_value code, text, exception, number, call;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text) != napi_ok ||
      napi_create_error(env, code, text, &exception) != napi_ok) {
    napi_throw_error(env, name, message);
    return NULL;
  }
  if (napi_create_int32(env, uv_translate_sys_error(error), &number) == napi_ok) {
    napi_set_named_property(env, exception, "errno", number);
  }
  if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &call) == napi_ok) {
    napi_set_named_property(env, exception, "syscall", call);
  }
  napi_throw(env, exception);
  return NULL;
}

static bool get_int(napi_env env, napi_value value, int32_t* out) {
  return napi_get_value_int32(env, value, out) == napi_ok;
}

// The one fd a function takes as its first argument; false (with the exception thrown) when none was given.
static bool fd_argument(napi_env env, napi_callback_info info, const char* syscall, int32_t* fd) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || !get_int(env, argv[0], fd)) {
    throw_errno(env, EBADF, syscall);
    return false;
  }
  return true;
}

// NULL if the number cannot be made (which N-API calls taking a value then refuse).
static napi_value make_int(napi_env env, int32_t value) {
  napi_value result = NULL;
  napi_create_int32(env, value, &result);
  return result;
}

// A new fd as a number for JavaScript, which owns it from then on; closed if it cannot be handed over.
static napi_value hand_over(napi_env env, int fd) {
  napi_value result = make_int(env, fd);
  if (result != NULL) return result;
  close(fd);
  return throw_status(env, "napi_create_int32");
}

// A unix socket address from a path, or an abstract name given as "@name"; false, with the
// error thrown, when the value is none: the error says why, from this value alone (errno may
// hold anything left from an earlier call).
static bool unix_address(napi_env env, napi_value value, const char* syscall, struct sockaddr_un* address, socklen_t* length) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "the socket path must be a string");
    return false;
  }
  size_t size = 0;
  memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  if (napi_get_value_string_utf8(env, value, address->sun_path, sizeof address->sun_path, &size) != napi_ok) {
    throw_status(env, "napi_get_value_string_utf8");
    return false;
  }
  if (size == 0 || size >= sizeof address->sun_path - 1) {
    throw_errno(env, size == 0 ? EINVAL : ENAMETOOLONG, syscall);
    return false;
  }
  if (address->sun_path[0] == '@') address->sun_path[0] = '\0';
  *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + size + (address->sun_path[0] == '\0' ? 0 : 1));
  return true;
}

static int set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// socket() -> fd of a new unix stream socket, non-blocking, for connect.
static napi_value Socket(napi_env env, napi_callback_info info) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  return hand_over(env, fd);
}

// connect(fd, path) -> true once connected; false when the listener's backlog is full (EAGAIN),
// to be tried again later. It never waits: a blocking connect would wait for the listener to
// accept, on the main thread, and cannot be given up. The kernel has nothing to poll for room in
// another socket's backlog (this one polls writable at once), so waiting is the caller's.
static napi_value Connect(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !get_int(env, argv[0], &fd)) return throw_errno(env, EBADF, "connect");
  struct sockaddr_un address;
  socklen_t length;
  if (!unix_address(env, argv[1], "connect", &address, &length)) return NULL;
  int result;
  do result = connect(fd, (struct sockaddr*)&address, length);
  while (result < 0 && errno == EINTR);
  if (result < 0 && errno != EAGAIN) return throw_errno(env, errno, "connect");
  napi_value connected;
  CHECK(napi_get_boolean(env, result == 0, &connected));
  return connected;
}

// listen(path, backlog) -> fd, listening and non-blocking.
static napi_value Listen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un address;
  socklen_t length;
  int32_t backlog = 1024;
  if (!unix_address(env, argv[0], "bind", &address, &length)) return NULL;
  if (argc > 1) get_int(env, argv[1], &backlog);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  if (bind(fd, (struct sockaddr*)&address, length) < 0) {
    int error = errno;
    close(fd);
    return throw_errno(env, error, "bind");
  }
  if (listen(fd, backlog) < 0) {
    int error = errno;
    close(fd);
    return throw_errno(env, error, "listen");
  }
  return hand_over(env, fd);
}

// accept(fd) -> fd of the new connection (non-blocking), or -1 when none waits.
static napi_value Accept(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "accept", &fd)) return NULL;
  int client = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (client < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) return make_int(env, -1);
    return throw_errno(env, errno, "accept");
  }
  return hand_over(env, client);
}

// socketpair() -> [fd, fd], both non-blocking.
static napi_value SocketPair(napi_env env, napi_callback_info info) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0) return throw_errno(env, errno, "socketpair");
  napi_value result;
  if (napi_create_array_with_length(env, 2, &result) != napi_ok || napi_set_element(env, result, 0, make_int(env, fds[0])) != napi_ok ||
      napi_set_element(env, result, 1, make_int(env, fds[1])) != napi_ok) {
    // Not handed over: nobody else would close them.
    close(fds[0]);
    close(fds[1]);
    return throw_status(env, "napi_set_element");
  }
  return result;
}

// adopt(fd): makes an fd handed over (socket activation) non-blocking; true if it is a unix stream socket.
static napi_value Adopt(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "adopt", &fd)) return NULL;
  int type = 0, domain = 0;
  socklen_t size = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) < 0) return throw_errno(env, errno, "getsockopt");
  size = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) < 0) return throw_errno(env, errno, "getsockopt");
  if (set_nonblocking(fd) < 0) return throw_errno(env, errno, "fcntl");
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  napi_value result;
  CHECK(napi_get_boolean(env, type == SOCK_STREAM && domain == AF_UNIX, &result));
  return result;
}

// recv(fd, buffer, fds) -> bytes read, -1 when nothing waits, 0 at the end of the stream; the
// fds that came are appended to the array `fds` (most reads bring none, and then cost no object).
// Every fd of every SCM_RIGHTS message is taken (close-on-exec); cut-off control data is an error.
static napi_value Recv(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd;
  void* data;
  size_t size;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3 || !get_int(env, argv[0], &fd)) return throw_errno(env, EBADF, "recvmsg");
  CHECK(napi_get_buffer_info(env, argv[1], &data, &size));
  union {
    char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = data, .iov_len = size };
  struct msghdr message = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
  ssize_t bytes;
  do bytes = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
  while (bytes < 0 && errno == EINTR);
  if (bytes < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return make_int(env, -1);
  if (bytes < 0) return throw_errno(env, errno, "recvmsg");
  int received[MAX_FDS];
  size_t count = 0;
  for (struct cmsghdr* header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    size_t n = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n && count < MAX_FDS; i++) memcpy(&received[count++], (int*)CMSG_DATA(header) + i, sizeof(int));
  }
  if (message.msg_flags & MSG_CTRUNC) {
    // Some fds were lost on the way in: the message cannot be trusted. Those that came are closed.
    for (size_t i = 0; i < count; i++) close(received[i]);
    napi_throw_error(env, "EMSGCTRUNC", "recvmsg: the file descriptors sent with a message did not fit (MSG_CTRUNC)");
    return NULL;
  }
  // Each fd is the caller's once it is in `fds`; those that cannot be put there are closed here.
  uint32_t length = 0;
  size_t handed = 0;
  napi_status status = count > 0 ? napi_get_array_length(env, argv[2], &length) : napi_ok;
  while (status == napi_ok && handed < count) {
    status = napi_set_element(env, argv[2], length + (uint32_t)handed, make_int(env, received[handed]));
    if (status == napi_ok) handed++;
  }
  if (status != napi_ok) {
    for (size_t i = handed; i < count; i++) close(received[i]);
    return throw_status(env, "napi_set_element");
  }
  return make_int(env, (int32_t)bytes);
}

// send(fd, buffer, offset, length, fds?) -> bytes written, or -1 when the socket is full.
// The fds go with the first byte written; a caller sends them once, with a message's first byte.
static napi_value Send(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t fd, offset, length;
  void* data;
  size_t size;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4 || !get_int(env, argv[0], &fd) || !get_int(env, argv[2], &offset) || !get_int(env, argv[3], &length)) return throw_errno(env, EINVAL, "sendmsg");
  CHECK(napi_get_buffer_info(env, argv[1], &data, &size));
  if (offset < 0 || length < 0 || (size_t)offset + (size_t)length > size) return throw_errno(env, EINVAL, "sendmsg");
  union {
    char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = (char*)data + offset, .iov_len = (size_t)length };
  struct msghdr message = { .msg_iov = &iov, .msg_iovlen = 1 };
  uint32_t count = 0;
  bool is_array = false;
  if (argc > 4) napi_is_array(env, argv[4], &is_array);
  if (is_array) {
    CHECK(napi_get_array_length(env, argv[4], &count));
    if (count > MAX_FDS) return throw_errno(env, ETOOMANYREFS, "sendmsg");
  }
  if (count > 0) {
    memset(&control, 0, sizeof control);
    message.msg_control = control.buffer;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * count);
    for (uint32_t i = 0; i < count; i++) {
      napi_value element;
      int32_t one;
      CHECK(napi_get_element(env, argv[4], i, &element));
      if (!get_int(env, element, &one)) return throw_errno(env, EBADF, "sendmsg");
      memcpy((int*)CMSG_DATA(header) + i, &one, sizeof one);
    }
  }
  ssize_t written;
  do written = sendmsg(fd, &message, MSG_NOSIGNAL);
  while (written < 0 && errno == EINTR);
  if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return make_int(env, -1);
  if (written < 0) return throw_errno(env, errno, "sendmsg");
  return make_int(env, (int32_t)written);
}

// sendString(fd, text) -> the bytes of text's UTF-8 not yet written (0: all went), or -1 when the
// socket is full and nothing went. Without fds: the common write, made without a Buffer between
// (as Node's own sockets write strings), since a message is small and most go at once.
static napi_value SendString(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || !get_int(env, argv[0], &fd)) return throw_errno(env, EBADF, "sendmsg");
  size_t units = 0;
  CHECK(napi_get_value_string_utf16(env, argv[1], NULL, 0, &units));
  // A UTF-16 unit is at most 3 bytes of UTF-8 (a pair of them, 4); and one for the NUL napi adds.
  size_t capacity = units * 3 + 1;
  char stack[16 * 1024];
  char* text = capacity <= sizeof stack ? stack : malloc(capacity);
  if (text == NULL) return throw_errno(env, ENOMEM, "sendmsg");
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[1], text, capacity, &length) != napi_ok) {
    if (text != stack) free(text);
    return throw_status(env, "napi_get_value_string_utf8");
  }
  ssize_t written;
  do written = send(fd, text, length, MSG_NOSIGNAL);
  while (written < 0 && errno == EINTR);
  int error = errno;
  if (text != stack) free(text);
  if (written < 0 && (error == EAGAIN || error == EWOULDBLOCK)) return make_int(env, -1);
  if (written < 0) return throw_errno(env, error, "sendmsg");
  return make_int(env, (int32_t)(length - (size_t)written));
}

// close(fd); an fd that is already closed (EBADF) is an error the caller should know of.
static napi_value Close(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "close", &fd)) return NULL;
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, errno, "close");
  return NULL;
}

// shutdown(fd): no more writes (the peer reads the end of the stream).
static napi_value Shutdown(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "shutdown", &fd)) return NULL;
  if (shutdown(fd, SHUT_WR) < 0 && errno != ENOTCONN) return throw_errno(env, errno, "shutdown");
  return NULL;
}

// hungUp(fd) -> whether the peer is gone both ways (POLLHUP, or an error such as ECONNRESET), and
// not merely done writing (POLLRDHUP alone: a half-close, which still wants its answers).
static napi_value HungUp(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "poll", &fd)) return NULL;
  struct pollfd one = { .fd = fd, .events = POLLRDHUP };
  int ready;
  do ready = poll(&one, 1, 0);
  while (ready < 0 && errno == EINTR);
  if (ready < 0) return throw_errno(env, errno, "poll");
  napi_value result;
  CHECK(napi_get_boolean(env, (one.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0, &result));
  return result;
}

// dup(fd) -> a new fd (close-on-exec) for the same file.
static napi_value Dup(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "dup", &fd)) return NULL;
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) return throw_errno(env, errno, "dup");
  return hand_over(env, copy);
}

// peerCredentials(fd) -> { pid, uid, gid } of the process at the other end, as it was when it connected.
static napi_value PeerCredentials(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!fd_argument(env, info, "getsockopt", &fd)) return NULL;
  struct ucred credentials;
  socklen_t size = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) < 0) return throw_errno(env, errno, "getsockopt");
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, credentials.pid, &value));
  CHECK(napi_set_named_property(env, result, "pid", value));
  CHECK(napi_create_uint32(env, credentials.uid, &value));
  CHECK(napi_set_named_property(env, result, "uid", value));
  CHECK(napi_create_uint32(env, credentials.gid, &value));
  CHECK(napi_set_named_property(env, result, "gid", value));
  return result;
}

// A uv_poll_t that calls back into JavaScript with (status, events). Its memory is freed once the
// handle is closed and JavaScript has let go of it, whichever comes last.
typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  bool closing;
  bool closed;
  bool finalized;
} Poll;

static void on_poll(uv_poll_t* handle, int status, int events) {
  Poll* poll = handle->data;
  if (poll->closing) return;
  napi_env env = poll->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, receiver, argv[2], result;
  if (napi_get_reference_value(env, poll->callback, &callback) == napi_ok && callback != NULL) {
    napi_get_global(env, &receiver);
    argv[0] = make_int(env, status);
    // As pollStart takes them: 1 readable, 2 writable, 4 hung up (or an error).
    argv[1] = make_int(env, ((events & UV_READABLE) ? 1 : 0) | ((events & UV_WRITABLE) ? 2 : 0) | ((events & UV_PRIORITIZED) ? 4 : 0));
    if (napi_make_callback(env, poll->context, receiver, callback, 2, argv, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void release(Poll* poll) {
  napi_delete_reference(poll->env, poll->callback);
  napi_async_destroy(poll->env, poll->context);
}

static void on_closed(uv_handle_t* handle) {
  Poll* poll = handle->data;
  poll->closed = true;
  if (poll->finalized) free(poll);
}

static void close_poll(Poll* poll) {
  if (poll->closing) return;
  poll->closing = true;
  release(poll);
  uv_close((uv_handle_t*)&poll->handle, on_closed);
}

static void finalize_poll(napi_env env, void* data, void* hint) {
  Poll* poll = data;
  poll->finalized = true;
  if (!poll->closing) close_poll(poll);
  else if (poll->closed) free(poll);
}

static Poll* poll_of(napi_env env, napi_value value) {
  void* data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

// poll(fd, callback) -> handle; pollStart(handle, events) with 1 readable, 2 writable, 4 hung up;
// pollClose(handle). A unix socket has no urgent data: watching for it (UV_PRIORITIZED) only
// wakes on POLLHUP or POLLERR, which epoll always reports, so a socket that is not being read
// still learns that its peer left, and a half-closed one (POLLRDHUP) does not wake in a loop.
static napi_value PollCreate(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || !get_int(env, argv[0], &fd)) return throw_errno(env, EBADF, "poll");
  uv_loop_t* loop;
  napi_value name, resource;
  CHECK(napi_get_uv_event_loop(env, &loop));
  CHECK(napi_create_string_utf8(env, "varlink-ts:unix-fds", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_object(env, &resource));
  Poll* poll = calloc(1, sizeof *poll);
  if (poll == NULL) return throw_errno(env, ENOMEM, "poll");
  poll->env = env;
  // The JavaScript side first, so that a failure leaves no libuv handle behind to close.
  if (napi_create_reference(env, argv[1], 1, &poll->callback) != napi_ok) {
    free(poll);
    return throw_status(env, "napi_create_reference");
  }
  if (napi_async_init(env, resource, name, &poll->context) != napi_ok) {
    napi_delete_reference(env, poll->callback);
    free(poll);
    return throw_status(env, "napi_async_init");
  }
  int error = uv_poll_init(loop, &poll->handle, fd);
  if (error != 0) {
    release(poll);
    free(poll);
    return throw_errno(env, -error, "uv_poll_init");
  }
  poll->handle.data = poll;
  napi_value external;
  if (napi_create_external(env, poll, finalize_poll, NULL, &external) != napi_ok) {
    // Nothing will own the handle: it is closed, and freed once libuv is done with it.
    poll->finalized = true;
    close_poll(poll);
    return throw_status(env, "napi_create_external");
  }
  return external;
}

static napi_value PollStart(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t events;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Poll* poll = argc < 2 ? NULL : poll_of(env, argv[0]);
  if (poll == NULL || poll->closing || !get_int(env, argv[1], &events)) return throw_errno(env, EINVAL, "uv_poll_start");
  int flags = ((events & 1) ? UV_READABLE : 0) | ((events & 2) ? UV_WRITABLE : 0) | ((events & 4) ? UV_PRIORITIZED : 0);
  int error = flags == 0 ? uv_poll_stop(&poll->handle) : uv_poll_start(&poll->handle, flags, on_poll);
  if (error != 0) return throw_errno(env, -error, "uv_poll_start");
  return NULL;
}

static napi_value PollClose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Poll* poll = argc < 1 ? NULL : poll_of(env, argv[0]);
  if (poll != NULL) close_poll(poll);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
    { "socket", NULL, Socket, NULL, NULL, NULL, napi_enumerable, NULL },
    { "connect", NULL, Connect, NULL, NULL, NULL, napi_enumerable, NULL },
    { "listen", NULL, Listen, NULL, NULL, NULL, napi_enumerable, NULL },
    { "accept", NULL, Accept, NULL, NULL, NULL, napi_enumerable, NULL },
    { "socketpair", NULL, SocketPair, NULL, NULL, NULL, napi_enumerable, NULL },
    { "adopt", NULL, Adopt, NULL, NULL, NULL, napi_enumerable, NULL },
    { "recv", NULL, Recv, NULL, NULL, NULL, napi_enumerable, NULL },
    { "send", NULL, Send, NULL, NULL, NULL, napi_enumerable, NULL },
    { "sendString", NULL, SendString, NULL, NULL, NULL, napi_enumerable, NULL },
    { "close", NULL, Close, NULL, NULL, NULL, napi_enumerable, NULL },
    { "shutdown", NULL, Shutdown, NULL, NULL, NULL, napi_enumerable, NULL },
    { "hungUp", NULL, HungUp, NULL, NULL, NULL, napi_enumerable, NULL },
    { "dup", NULL, Dup, NULL, NULL, NULL, napi_enumerable, NULL },
    { "peerCredentials", NULL, PeerCredentials, NULL, NULL, NULL, napi_enumerable, NULL },
    { "poll", NULL, PollCreate, NULL, NULL, NULL, napi_enumerable, NULL },
    { "pollStart", NULL, PollStart, NULL, NULL, NULL, napi_enumerable, NULL },
    { "pollClose", NULL, PollClose, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
