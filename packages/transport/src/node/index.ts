// Node adapters: stream.Duplex over a StreamSocket, http.request/createServer glue.
