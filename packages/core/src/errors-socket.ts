// Socket errors, with the POSIX/Node error codes that Node code (http, net) checks for.

import { NetlayersError } from './errors.ts';

export type SocketErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EPIPE'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'ECONNABORTED'
  | 'EMSGSIZE'
  | 'ENOTCONN'
  | 'EACCES'
  | 'ERR_SOCKET_CLOSED';

export class SocketError extends NetlayersError {
  declare readonly code: SocketErrorCode;
  constructor(code: SocketErrorCode, message: string) {
    super(code, `${code}: ${message}`);
  }
}
