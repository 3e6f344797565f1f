// The recording IpService of @netlayers/testing, under the name the TCP tests use.
export { RecordingIp as FakeIp, type SentDatagram } from '@netlayers/testing';
