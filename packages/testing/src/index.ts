// @netlayers/testing: conformance suites any implementation of a layer runs against itself
// (in the manner of js-libp2p's interface-compliance tests: a function that registers
// vitest describe/it blocks), and the reference fakes the suites put around it.

export { physicalMediumSuite, type PhysicalMediumSuiteOptions } from './suites/physical.ts';
export { linkLayerSuite, linkPairSuite, type LinkPair, type LinkEnd, type LinkHarness } from './suites/link.ts';
export { networkLayerSuite, type NetworkLayerUnderTest } from './suites/network.ts';
export { streamTransportSuite, type StreamTransportSuiteOptions } from './suites/stream-transport.ts';
export { datagramTransportSuite, type DatagramTransportSuiteOptions } from './suites/datagram-transport.ts';
export { createWorld, runUntil, runFor, testBytes, concat, sameBytes, firstDifference, type TestWorld } from './suites/support.ts';
export { FakeMedium, serializationDelay, type FakeMediumOptions } from './fakes/medium.ts';
export { FakeLinkSegment, FakeLinkInterface, type FakeLinkSegmentOptions, type SegmentTransfer } from './fakes/link-segment.ts';
export { FakeIpNetwork, FakeIpService, type FakeIpNetworkOptions } from './fakes/ip-network.ts';
export { buildDatagram, readQuotedHeader, type FakeDatagramHeader } from './fakes/ipv4-datagram.ts';
export { readPcap, LINKTYPE_ETHERNET, type PcapFile, type PcapRecord } from './captures/pcap-reader.ts';
export { parseCapturedFrame, type ParsedFrame, type ParseFrameOptions } from './captures/parse-frame.ts';
