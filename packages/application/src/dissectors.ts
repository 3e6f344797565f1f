// The application layer's codecs for pictures, keyed by well-known port as Wireshark keys
// them: DNS (RFC 1035 §4.1) on UDP port 53, DHCP (RFC 2131 §2) on UDP ports 67 and 68, and
// HTTP/1.1 (RFC 9112 §2–3) on TCP port 80 and as a heuristic on any TCP port (a segment
// that starts with a request or status line). Each runs this package's own parser
// (parseDnsMessage, parseDhcpMessage, HttpRequestParser / HttpResponseParser).

import { byteField, isWireError, type DissectedField, type Dissector, type DissectorTable, type LayerDissection, type LineContext } from '@netlayers/core';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT, describeDhcpMessage, parseDhcpMessage } from './dhcp/message.ts';
import { describeDnsMessage, parseDnsMessage } from './dns/message.ts';
import { HttpRequestParser, HttpResponseParser, isHttpParseError } from './http/parser.ts';
import { bootpTcpdumpText, dnsTcpdumpText } from './tcpdump-line.ts';

const DNS_PORT = 53;
/** Multicast DNS (RFC 6762), which tcpdump prints as DNS with the QU/QM bit. */
const MDNS_PORT = 5353;
const HTTP_PORT = 80;

function dnsDissectorFor(mdns: boolean): Dissector {
  return {
  protocol: 'dns',
  dissect(bytes, context): LayerDissection | undefined {
    const m = parseDnsMessage(bytes);
    // tcpdump picks the printer by port: 5353 is mDNS only when neither end is 53.
    const multicast = mdns && !context.outer.some((l) => l.header?.protocol === 'udp' && (l.header.sourcePort === DNS_PORT || l.header.destinationPort === DNS_PORT));
    const line = (ctx: LineContext): string => dnsTcpdumpText(bytes, ctx, multicast);
    if (isWireError(m)) return { protocol: 'dns', title: 'DNS', role: 'application', headerLength: bytes.length, payloadLength: 0, fields: [], summary: `DNS, ${m.detail}`, problems: [`DNS: ${m.detail}`], line };
    const flags = (bytes[2]! << 8) | bytes[3]!;
    const fields: DissectedField[] = [
      byteField('Transaction ID', 0, 2, String(m.id)),
      { name: 'QR', bitOffset: 16, bitLength: 1, value: m.response ? '1 (response)' : '0 (query)' },
      { name: 'Opcode', bitOffset: 17, bitLength: 4, value: String(m.opcode) },
      { name: 'AA TC RD RA Z', bitOffset: 21, bitLength: 7, value: `0x${((flags >> 4) & 0x7f).toString(16)}` },
      { name: 'RCODE', bitOffset: 28, bitLength: 4, value: String(flags & 0x0f) },
      byteField('Questions', 4, 2, String((bytes[4]! << 8) | bytes[5]!)),
      byteField('Answers', 6, 2, String((bytes[6]! << 8) | bytes[7]!)),
      byteField('Authority', 8, 2, String((bytes[8]! << 8) | bytes[9]!)),
      byteField('Additional', 10, 2, String((bytes[10]! << 8) | bytes[11]!)),
      byteField('Records', 12, bytes.length - 12, describeDnsMessage(m)),
    ];
    return {
      protocol: 'dns',
      title: 'DNS',
      role: 'application',
      headerLength: bytes.length,
      payloadLength: 0,
      fields,
      summary: `DNS ${describeDnsMessage(m)}`,
      header: { protocol: 'dns', id: m.id, response: m.response, ...(m.response ? { rcode: m.rcode } : {}) },
      line,
    };
  },
  };
}

export const dnsDissector: Dissector = dnsDissectorFor(false);
export const mdnsDissector: Dissector = dnsDissectorFor(true);

export const dhcpDissector: Dissector = {
  protocol: 'dhcp',
  dissect(bytes): LayerDissection | undefined {
    const m = parseDhcpMessage(bytes);
    const line = (ctx: LineContext): string => bootpTcpdumpText(bytes, ctx);
    if (isWireError(m)) return { protocol: 'dhcp', title: 'DHCP', role: 'application', headerLength: bytes.length, payloadLength: 0, fields: [], summary: `DHCP, ${m.detail}`, problems: [`DHCP: ${m.detail}`], line };
    return {
      protocol: 'dhcp',
      title: 'DHCP',
      role: 'application',
      headerLength: bytes.length,
      payloadLength: 0,
      fields: [
        byteField('op', 0, 1, String(bytes[0])),
        byteField('xid', 4, 4, `0x${m.xid.toString(16)}`),
        byteField('ciaddr', 12, 4, m.ciaddr.toString()),
        byteField('yiaddr', 16, 4, m.yiaddr.toString()),
        byteField('chaddr', 28, 16, m.chaddr.toString()),
        byteField('options', 236, bytes.length - 236, describeDhcpMessage(m)),
      ],
      summary: `DHCP ${describeDhcpMessage(m)}`,
      header: { protocol: 'dhcp', xid: m.xid, messageType: m.options.messageType ?? 0 },
      line,
    };
  },
};

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

const START_PREFIX = /^(?:[A-Z]{3,10} \S|HTTP\/1\.[01] )/;
const START_LINE = /^(?:[A-Z]+ \S+ HTTP\/1\.[01]|HTTP\/1\.[01] \d{3})/;

/** HTTP/1.1: the message head of a segment that starts one (a body continuation is not claimed). */
export const httpDissector: Dissector = {
  protocol: 'http',
  dissect(bytes): LayerDissection | undefined {
    // Cheap test first: most segments are not the start of a message.
    if (!START_PREFIX.test(latin1(bytes.subarray(0, Math.min(bytes.length, 12))))) return undefined;
    const text = latin1(bytes.subarray(0, Math.min(bytes.length, 8192)));
    if (!START_LINE.test(text)) return undefined;
    const headEnd = text.indexOf('\r\n\r\n');
    const headLength = headEnd < 0 ? bytes.length : headEnd + 4;
    const request = text.startsWith('HTTP/') ? undefined : new HttpRequestParser().push(bytes)[0];
    const response = text.startsWith('HTTP/') ? new HttpResponseParser().push(bytes)[0] : undefined;
    const fields: DissectedField[] = [];
    let offset = 0;
    for (const line of text.slice(0, headEnd < 0 ? text.length : headEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      const name = fields.length === 0 ? (response !== undefined || text.startsWith('HTTP/') ? 'Status line' : 'Request line') : colon > 0 ? line.slice(0, colon) : 'Line';
      fields.push(byteField(name, offset, Math.min(line.length + 2, bytes.length - offset), fields.length === 0 || colon < 0 ? line : line.slice(colon + 1).trim()));
      offset += line.length + 2;
    }
    const firstLine = text.slice(0, Math.max(0, text.indexOf('\r\n'))) || text.slice(0, 60);
    const problems: string[] = [];
    const parsed = request ?? response;
    if (parsed !== undefined && isHttpParseError(parsed)) problems.push(`HTTP: ${parsed.detail}`);
    const header =
      request !== undefined && !isHttpParseError(request)
        ? { protocol: 'http' as const, method: request.method, target: request.target, version: request.version }
        : response !== undefined && !isHttpParseError(response)
          ? { protocol: 'http' as const, version: response.version, status: response.status }
          : undefined;
    return {
      protocol: 'http',
      title: 'HTTP',
      role: 'application',
      headerLength: headLength,
      payloadLength: bytes.length - headLength,
      fields,
      summary: `HTTP ${firstLine}`,
      ...(header ? { header } : {}),
      payloadRole: 'application',
      ...(problems.length ? { problems } : {}),
    };
  },
};

/** Register DNS (UDP 53), DHCP (UDP 67, 68) and HTTP (TCP 80, and heuristically on any TCP port). */
export function registerDissectors(table: DissectorTable): void {
  table.register('udp.port', DNS_PORT, dnsDissector);
  table.register('udp.port', MDNS_PORT, mdnsDissector);
  table.register('udp.port', DHCP_SERVER_PORT, dhcpDissector);
  table.register('udp.port', DHCP_CLIENT_PORT, dhcpDissector);
  table.register('tcp.port', HTTP_PORT, httpDissector);
  table.registerHeuristic('tcp.port', httpDissector);
}
