/* crawler/fetch.c: which addresses a crawl refuses without
 * --allow-private (checked on the address connected to). */
#include "check.h"
#include "crawler/crawler_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

struct addr_case {
  const char *addr;
  int private_;
};

static const struct addr_case cases[] = {
    /* IPv4 */
    {"127.0.0.1", 1},
    {"127.255.0.7", 1},
    {"10.1.2.3", 1},
    {"172.16.0.1", 1},
    {"172.31.255.255", 1},
    {"172.32.0.1", 0},
    {"192.168.1.1", 1},
    {"169.254.169.254", 1}, /* cloud metadata */
    {"100.100.100.200", 1}, /* Alibaba metadata, in 100.64/10 */
    {"100.64.0.1", 1},
    {"100.128.0.1", 0},
    {"0.0.0.0", 1},
    {"0.1.2.3", 1},
    {"192.0.0.8", 1},
    {"198.18.0.1", 1},
    {"224.0.0.1", 1},
    {"255.255.255.255", 1},
    {"8.8.8.8", 0},
    {"93.184.216.34", 0},
    {"192.0.2.1", 0}, /* documentation: not special for safety */
    {"11.0.0.1", 0},
    /* IPv6 */
    {"::1", 1},
    {"::", 1},
    {"fe80::1", 1},
    {"fc00::1", 1},
    {"fd00:ec2::254", 1}, /* AWS metadata */
    {"ff02::1", 1},
    {"::ffff:127.0.0.1", 1},
    {"::ffff:10.0.0.1", 1},
    {"::ffff:8.8.8.8", 0},
    {"::127.0.0.1", 1},
    {"64:ff9b::7f00:1", 1},      /* NAT64 of 127.0.0.1 */
    {"64:ff9b::808:808", 0},     /* NAT64 of 8.8.8.8 */
    {"2002:7f00:1::1", 1},       /* 6to4 of 127.0.0.1 */
    {"2002:808:808::1", 0},
    {"2606:4700:4700::1111", 0},
    {"2001:db8::1", 0},
};

int main(void)
{
  size_t k;

  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    int got;

    memset(&in4, 0, sizeof(in4));
    memset(&in6, 0, sizeof(in6));
    if (inet_pton(AF_INET, cases[k].addr, &in4.sin_addr) == 1) {
      in4.sin_family = AF_INET;
      got = fetch_address_is_private(&in4);
    } else if (inet_pton(AF_INET6, cases[k].addr, &in6.sin6_addr) == 1) {
      in6.sin6_family = AF_INET6;
      got = fetch_address_is_private(&in6);
    } else {
      fprintf(stderr, "bad test address %s\n", cases[k].addr);
      check_failures++;
      continue;
    }
    if (got != cases[k].private_) {
      fprintf(stderr, "%s: got %d, want %d\n", cases[k].addr, got,
              cases[k].private_);
      check_failures++;
    }
  }
  {
    struct sockaddr sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNIX;
    CHECK(fetch_address_is_private(&sa) == 1);
  }
  return check_exit();
}
