/*
 * tap-relay: connect a Linux TAP device to a pair of pipes, so the emulator (which cannot
 * issue the TUNSETIFF ioctl from JavaScript) can exchange Ethernet frames with a real kernel.
 *
 *   tap-relay <ifname> [mtu] [txqueuelen] [buffer-bytes]
 *
 * Creates (or attaches to) TAP device <ifname> with IFF_TAP | IFF_NO_PI, sets its MTU and
 * transmit queue length, prints "ready <ifname>" on stderr, then relays frames both ways
 * until stdin closes. Frames carry no FCS (the kernel neither sends nor expects one).
 *
 * stdin (emulator -> kernel): records of a 4-byte big-endian length, then the frame.
 * stdout (kernel -> emulator): records of a 12-byte header, then the body:
 *   u32 big-endian word: bit 31 clear = a frame of that many bytes follows;
 *                        bit 31 set   = a drop report: the relay lost that many frames
 *                        (low 31 bits) since the last report, and no body follows;
 *   u64 big-endian CLOCK_MONOTONIC nanoseconds when the relay read the frame from the TAP
 *   (Node's process.hrtime reads the same clock, so the emulator can stamp frames with the
 *   simulation time of their arrival).
 *
 * Keeping up: the kernel drops frames silently (tx_dropped) when the TAP's queue is full, so
 * the relay never stops reading the TAP. It drains it in batches into a user-space buffer
 * (default 16 MiB) and writes that to a non-blocking stdout pipe enlarged with
 * F_SETPIPE_SZ. Only when that buffer is full does it drop, and then it says so on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER 12
#define MAX_FRAME 65536
#define BATCH 256

static unsigned char *out;
static size_t out_cap, out_head, out_tail;
static uint32_t pending_drops;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put_header(unsigned char *p, uint32_t word, uint64_t t) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(word >> (24 - 8 * i));
  for (int i = 0; i < 8; i++) p[4 + i] = (unsigned char)(t >> (56 - 8 * i));
}

/* Make room for n bytes at the tail (compacting if that helps); returns 0 when full. */
static int reserve(size_t n) {
  if (out_cap - out_tail >= n) return 1;
  if (out_head > 0) {
    memmove(out, out + out_head, out_tail - out_head);
    out_tail -= out_head;
    out_head = 0;
  }
  return out_cap - out_tail >= n;
}

static void flush_out(void) {
  while (out_head < out_tail) {
    ssize_t n = write(1, out + out_head, out_tail - out_head);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      exit(0); /* the emulator went away */
    }
    out_head += (size_t)n;
  }
  out_head = out_tail = 0;
}

static void set_if(int sock, const char *name, unsigned long request, int value) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  if (request == SIOCSIFMTU) ifr.ifr_mtu = value;
  else ifr.ifr_qlen = value;
  if (ioctl(sock, request, &ifr) < 0) perror(request == SIOCSIFMTU ? "SIOCSIFMTU" : "SIOCSIFTXQLEN");
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 5 || strlen(argv[1]) >= IFNAMSIZ) {
    fprintf(stderr, "usage: tap-relay <ifname> [mtu] [txqueuelen] [buffer-bytes]\n");
    return 2;
  }
  int mtu = argc > 2 ? atoi(argv[2]) : 0;
  int qlen = argc > 3 ? atoi(argv[3]) : 0;
  out_cap = argc > 4 ? (size_t)atol(argv[4]) : (size_t)16 << 20;
  if (out_cap < MAX_FRAME + HEADER) out_cap = MAX_FRAME + HEADER;
  out = malloc(out_cap);
  if (out == NULL) {
    perror("malloc");
    return 1;
  }

  int tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
  if (tap < 0) {
    perror("open /dev/net/tun");
    return 1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", argv[1]);
  if (ioctl(tap, TUNSETIFF, &ifr) < 0) {
    perror("TUNSETIFF");
    return 1;
  }
  int sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock >= 0) {
    if (mtu > 0) set_if(sock, ifr.ifr_name, SIOCSIFMTU, mtu);
    if (qlen > 0) set_if(sock, ifr.ifr_name, SIOCSIFTXQLEN, qlen);
    close(sock);
  }
  /* A bigger pipe absorbs bursts while Node is busy running the simulation. */
  int pipe_size = fcntl(1, F_SETPIPE_SZ, 4 << 20);
  if (pipe_size < 0) pipe_size = fcntl(1, F_SETPIPE_SZ, 1 << 20);
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  fprintf(stderr, "ready %s pipe %d buffer %zu\n", ifr.ifr_name, pipe_size, out_cap);

  static unsigned char in[1 << 20];
  size_t have = 0;
  static unsigned char frame[MAX_FRAME];
  struct pollfd fds[3] = {{.fd = 0, .events = POLLIN}, {.fd = tap, .events = POLLIN}, {.fd = 1, .events = 0}};
  for (;;) {
    fds[2].events = out_head < out_tail ? POLLOUT : 0;
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      return 1;
    }
    if (fds[2].revents & (POLLERR | POLLHUP)) return 0;
    if (fds[1].revents & POLLIN) {
      /* Drain the TAP in a batch: every frame left there may be dropped by the kernel. */
      for (int i = 0; i < BATCH; i++) {
        ssize_t n = read(tap, frame, sizeof frame);
        if (n < 0) {
          if (errno == EINTR) continue;
          break; /* EAGAIN: drained */
        }
        if (n == 0) break;
        uint64_t t = now_ns();
        if (pending_drops > 0 && reserve(HEADER)) {
          put_header(out + out_tail, 0x80000000u | pending_drops, t);
          out_tail += HEADER;
          pending_drops = 0;
        }
        if (pending_drops == 0 && reserve(HEADER + (size_t)n)) {
          put_header(out + out_tail, (uint32_t)n, t);
          memcpy(out + out_tail + HEADER, frame, (size_t)n);
          out_tail += HEADER + (size_t)n;
        } else if (pending_drops < 0x7fffffffu) {
          pending_drops++;
        }
      }
    }
    if (out_head < out_tail) flush_out();
    if (pending_drops > 0 && reserve(HEADER)) {
      put_header(out + out_tail, 0x80000000u | pending_drops, now_ns());
      out_tail += HEADER;
      pending_drops = 0;
      flush_out();
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(0, in + have, sizeof in - have);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;
      have += (size_t)n;
      size_t at = 0;
      while (have - at >= 4) {
        size_t len = ((size_t)in[at] << 24) | ((size_t)in[at + 1] << 16) | ((size_t)in[at + 2] << 8) | in[at + 3];
        if (len > MAX_FRAME) {
          fprintf(stderr, "tap-relay: bad record length %zu\n", len);
          return 1;
        }
        if (have - at < len + 4) break;
        /* Writing to a TAP hands the frame to the kernel's receive path at once. */
        if (write(tap, in + at + 4, len) < 0 && errno != EIO && errno != EAGAIN) perror("write tap");
        at += len + 4;
      }
      memmove(in, in + at, have - at);
      have -= at;
    }
  }
}
