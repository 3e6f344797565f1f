// @netlayers/application: the application layer over the socket contracts — HTTP/1.1,
// DNS, DHCP, echo, SMTP and FTP. Imports @netlayers/core only, so it runs over our TCP and
// UDP or over any StreamTransport / DatagramTransport a student writes.

export { HttpHeaders, type HeaderInit } from './http/headers.ts';
export { STATUS_TEXT, type HttpRequest, type HttpResponse, type HttpVersion } from './http/message.ts';
export { HttpRequestParser, HttpResponseParser, DEFAULT_HTTP_LIMITS, MAX_HTTP_LIMITS, isHttpParseError, resolveHttpLimits, type HttpLimits, type HttpParseError } from './http/parser.ts';
export { HttpServer, HttpServerResponse, type HttpHandler, type HttpServerOptions, type HttpServerRequest, type HttpServerEvents } from './http/server.ts';
export {
  HttpClientConnection,
  HttpLimitError,
  HttpProtocolError,
  httpGet,
  httpRequest,
  parseHttpUrl,
  type HostResolver,
  type HttpConnectionOptions,
  type HttpGetOptions,
  type HttpRequestInit,
  type HttpRequestOptions,
} from './http/client.ts';

export {
  DnsClass,
  DnsOpcode,
  DnsRcode,
  DnsType,
  describeDnsMessage,
  dnsMessage,
  dnsRcodeName,
  dnsTypeName,
  emitDnsMessage,
  parseDnsMessage,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecordData,
  type DnsResourceRecord,
} from './dns/message.ts';
export { canonicalName, parseName, MAX_COMPRESSION_POINTERS, MAX_LABEL_LENGTH, MAX_NAME_LENGTH, type NameCache, type ParsedName } from './dns/name.ts';
export { DnsServer, reverseName, type DnsServerOptions } from './dns/server.ts';
export { DnsResolver, DnsError, type DnsErrorCode, type DnsResolverOptions } from './dns/resolver.ts';

export {
  BOOTREPLY,
  BOOTREQUEST,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpMessageType,
  DhcpOption,
  describeDhcpMessage,
  dhcpMessage,
  dhcpMessageTypeName,
  emitDhcpMessage,
  parseDhcpMessage,
  type DhcpMessage,
  type DhcpOptions,
} from './dhcp/message.ts';
export { DhcpServer, type DhcpBinding, type DhcpServerOptions, type DhcpServerEvents } from './dhcp/server.ts';
export { DhcpClient, type DhcpClientOptions, type DhcpClientState, type DhcpLease, type DhcpClientEvents } from './dhcp/client.ts';

export { EchoServer, type EchoServerOptions } from './echo.ts';

export { SmtpServer, type SmtpServerOptions, type StoredMail } from './smtp/server.ts';
export { sendMail, type SendMailOptions, type SendMailResult } from './smtp/client.ts';
export { dotStuff } from './smtp/dot-stuffing.ts';

export { FtpServer, type FtpServerOptions } from './ftp/server.ts';
export { FtpClient, type FtpConnectOptions, type FtpDataConnection } from './ftp/client.ts';
export { MemoryFileSystem } from './ftp/filesystem.ts';

export { ProtocolReplyError, ReplyParser, isReplyParseError, type Reply, type ReplyParseError } from './util/replies.ts';
export type { AppProtocol } from './util/trace.ts';
export type { HttpMessageInfo, DnsMessageInfo, DhcpMessageInfo, AppLineInfo } from './util/trace-headers.ts';
export { registerDissectors, dnsDissector, dhcpDissector, httpDissector } from './dissectors.ts';
