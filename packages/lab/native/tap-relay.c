/*
 * tap-relay: connect a Linux TAP device to a pipe, so the emulator (which cannot issue the
 * TUNSETIFF ioctl from JavaScript) can exchange Ethernet frames with a real kernel.
 *
 *   tap-relay <ifname>
 *
 * Creates (or attaches to) TAP device <ifname> with IFF_TAP | IFF_NO_PI, prints "ready" on
 * stderr, then relays frames both ways, each framed on the pipe as a 2-byte big-endian
 * length followed by the frame (no FCS; the kernel neither sends nor expects one).
 * Exits when stdin closes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int write_all(int fd, const unsigned char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2 || strlen(argv[1]) >= IFNAMSIZ) {
    fprintf(stderr, "usage: tap-relay <ifname>\n");
    return 2;
  }
  int tap = open("/dev/net/tun", O_RDWR);
  if (tap < 0) {
    perror("open /dev/net/tun");
    return 1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
  if (ioctl(tap, TUNSETIFF, &ifr) < 0) {
    perror("TUNSETIFF");
    return 1;
  }
  fprintf(stderr, "ready %s\n", ifr.ifr_name);

  static unsigned char in[65536 + 2];
  size_t have = 0;
  static unsigned char frame[65536 + 2];
  struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = tap, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      return 1;
    }
    if (fds[1].revents & POLLIN) {
      ssize_t n = read(tap, frame + 2, 65536);
      if (n > 0) {
        frame[0] = (unsigned char)(n >> 8);
        frame[1] = (unsigned char)(n & 0xff);
        if (write_all(1, frame, (size_t)n + 2) < 0) return 0;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(0, in + have, sizeof in - have);
      if (n <= 0) return 0;
      have += (size_t)n;
      for (;;) {
        if (have < 2) break;
        size_t len = ((size_t)in[0] << 8) | in[1];
        if (have < len + 2) break;
        if (write(tap, in + 2, len) < 0 && errno != EIO) perror("write tap");
        memmove(in, in + 2 + len, have - 2 - len);
        have -= 2 + len;
      }
    }
  }
}
