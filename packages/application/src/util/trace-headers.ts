// The application protocols' typed trace payloads, added to core's PduHeaderMap by module
// augmentation (the way any package outside core adds its own): an HTTP/1.1 request or
// status line (RFC 9112 §3, §4), a DNS message's id, QR bit and RCODE (RFC 1035 §4.1.1),
// a DHCP message's xid and message type (RFC 2131 §2, RFC 2132 §9.6), and the line of a
// line-oriented dialogue (echo, SMTP, FTP) with its reply code.

export interface HttpMessageInfo {
  readonly protocol: 'http';
  readonly method?: string;
  readonly target?: string;
  readonly version?: string;
  /** Status code of a response. */
  readonly status?: number;
}

export interface DnsMessageInfo {
  readonly protocol: 'dns';
  readonly id: number;
  /** The QR bit: true for a response. */
  readonly response: boolean;
  readonly rcode?: number;
  /** Which try of the resolver's query this is (1-based). */
  readonly attempt?: number;
}

export interface DhcpMessageInfo {
  readonly protocol: 'dhcp';
  readonly xid: number;
  /** Option 53, DHCP message type (1 DISCOVER ... 8 INFORM); 0 when absent. */
  readonly messageType: number;
}

/** One line (or data transfer) of echo, SMTP or FTP. */
export interface AppLineInfo {
  readonly protocol: 'app-line';
  readonly application: 'echo' | 'smtp' | 'ftp' | 'ftp-data';
  /** The reply code (SMTP, FTP), for replies. */
  readonly code?: number;
}

declare module '@netlayers/core' {
  interface PduHeaderMap {
    http: HttpMessageInfo;
    dns: DnsMessageInfo;
    dhcp: DhcpMessageInfo;
    'app-line': AppLineInfo;
  }
}
