// Your layer's public entry: what a lab script imports to swap it in.
export { MyStreamTransport, MY_PROTOCOL_NUMBER, NotImplementedYet } from './my-stream-transport.ts';
export { MyStreamSocket } from './my-stream-socket.ts';
