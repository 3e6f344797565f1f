// Parsed HTTP/1.1 messages (RFC 9112 §2.1): a request or a response with its header
// section, its (de-chunked) body and any trailer fields, plus the serialisers for the
// start line and header section.

import { HttpHeaders } from './headers.ts';
import { latin1 } from '../util/bytes.ts';

export type HttpVersion = 'HTTP/1.0' | 'HTTP/1.1';

export interface HttpRequest {
  readonly method: string;
  /** The request-target as sent: "/index.html?x=1" (origin-form) or "*" or absolute-form. */
  readonly target: string;
  readonly version: HttpVersion;
  readonly headers: HttpHeaders;
  readonly body: Uint8Array;
  readonly trailers: HttpHeaders;
  /** Whether the sender asked to keep the connection open after this exchange (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
}

export interface HttpResponse {
  readonly version: HttpVersion;
  readonly status: number;
  readonly reason: string;
  readonly headers: HttpHeaders;
  readonly body: Uint8Array;
  readonly trailers: HttpHeaders;
  readonly keepAlive: boolean;
}

/** Standard reason phrases for the status codes this layer sends (RFC 9110 §15). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: 'Continue',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  411: 'Length Required',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

/** Responses to HEAD, and 1xx/204/304 responses, never carry content (RFC 9112 §6.3). */
export function responseHasNoBody(requestMethod: string, status: number): boolean {
  return requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/** The persistence rule of RFC 9112 §9.3 for a message's version and Connection field. */
export function wantsKeepAlive(version: HttpVersion, headers: HttpHeaders): boolean {
  const connection = headers.tokens('connection');
  if (connection.includes('close')) return false;
  if (version === 'HTTP/1.1') return true;
  return connection.includes('keep-alive');
}

export function serializeHead(startLine: string, headers: HttpHeaders): Uint8Array {
  let text = `${startLine}\r\n`;
  for (const [name, value] of headers.entries()) text += `${name}: ${value}\r\n`;
  return latin1(`${text}\r\n`);
}
