// Linux errno numbers and socket constants the scripts name (asm-generic/errno.h,
// fcntl.h), so `= -1 EAGAIN` and getsockopt(SO_ERROR) read as they do on Linux.

export const ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1,
  EBADF: 9,
  EAGAIN: 11,
  EWOULDBLOCK: 11,
  EACCES: 13,
  EINVAL: 22,
  EPIPE: 32,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EOPNOTSUPP: 95,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
};

/** fcntl flags (Linux values). */
export const O_RDWR = 0x2;
export const O_NONBLOCK = 0x800;

/** Symbols scripts may use as integer arguments. */
export const SYMBOLS: Readonly<Record<string, number>> = {
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR,
  O_NONBLOCK,
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,
  MSG_DONTWAIT: 0x40,
  MSG_PEEK: 0x2,
  MSG_OOB: 0x1,
  MSG_WAITALL: 0x100,
  MSG_NOSIGNAL: 0x4000,
  F_GETFL: 3,
  F_SETFL: 4,
};
