/*
 * tx-csum-off: turn off transmit checksum offload on a network device (what
 * `ethtool -K <ifname> tx off` does, for machines without ethtool).
 *
 *   tx-csum-off <ifname>
 *
 * Why: a Linux vxlan device leaves the inner TCP/UDP checksum for the NIC to fill in
 * (CHECKSUM_PARTIAL). When the "NIC" is a veth pair to a local UDP socket, nothing ever
 * fills it, and the emulator (rightly) drops every segment as a bad checksum. With offload
 * off, the kernel computes the inner checksum in software before encapsulating.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2 || strlen(argv[1]) >= IFNAMSIZ) {
    fprintf(stderr, "usage: tx-csum-off <ifname>\n");
    return 2;
  }
  int sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock < 0) {
    perror("socket");
    return 1;
  }
  struct ethtool_value value = {.cmd = ETHTOOL_STXCSUM, .data = 0};
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", argv[1]);
  ifr.ifr_data = (char *)&value;
  if (ioctl(sock, SIOCETHTOOL, &ifr) < 0) {
    perror("ETHTOOL_STXCSUM");
    return 1;
  }
  close(sock);
  return 0;
}
