// @netlayers/testing: conformance suites any implementation of a layer runs against itself
// (in the manner of js-libp2p's interface-compliance tests: a function that registers
// vitest describe/it blocks), and the reference fakes the suites put around it.

export { physicalMediumSuite, type PhysicalMediumSuiteOptions } from './suites/physical.ts';
export { linkLayerSuite, linkPairSuite, type LinkPair, type LinkEnd, type LinkHarness } from './suites/link.ts';
export { networkLayerSuite, type NetworkLayerUnderTest } from './suites/network.ts';
export { streamTransportSuite, streamTransportCases, runStreamTransportCase, byteDifference, type StreamTransportSuiteOptions, type StreamTransportFactory, type ConformanceCaseSpec } from './suites/stream-transport.ts';
export { datagramTransportSuite, type DatagramTransportSuiteOptions } from './suites/datagram-transport.ts';
export { createWorld, runUntil, runFor, testBytes, concat, sameBytes, firstDifference, conformanceCase, runCase, teachingIt, WaitTimeout, type TestWorld, type RuleTable } from './suites/support.ts';
export { SuiteFailure, Mismatch, check, formatValue, teachingFailure, type Rule, type Observed } from './teach/failure.ts';
export { lastTraceLines, describeEvent, formatSeconds } from './teach/trace-lines.ts';
export { FakeMedium, serializationDelay, type FakeMediumOptions } from './fakes/medium.ts';
export { FakeLinkSegment, FakeLinkInterface, type FakeLinkSegmentOptions, type SegmentTransfer, type SegmentFrame } from './fakes/link-segment.ts';
export { FakeIpNetwork, FakeIpService, type FakeIpNetworkOptions } from './fakes/ip-network.ts';
export { buildDatagram, readQuotedHeader, type FakeDatagramHeader } from './fakes/ipv4-datagram.ts';
export { RecordingIp, type SentDatagram } from './fakes/recording-ip.ts';
export {
  TcpSegmentHarness,
  recordSocket,
  testTcpCodec,
  HARNESS_LOCAL,
  HARNESS_REMOTE,
  HARNESS_LOCAL_PORT,
  HARNESS_REMOTE_PORT,
  HARNESS_REMOTE_ISS,
  type TcpSegmentHarnessOptions,
  type TcpSegmentCodec,
  type SegmentTemplate,
  type ExpectedSegment,
} from './tcp/harness.ts';
export {
  TcpControl,
  emitTestTcpSegment,
  parseTestTcpSegment,
  tcpChecksum,
  controlNames,
  controlBits,
  tcpdumpLine,
  sequenceLength,
  type TestTcpFields,
  type TestTcpOptions,
  type TestTcpSegment,
  type SackEdges,
} from './tcp/wire.ts';
export { RecordingPhyPort, joinedRecordingPorts, GIGABIT_ETHERNET_CAPABILITIES } from './fakes/recording-phy-port.ts';
export { MemoryNetwork, MemoryTransport, MemoryListener, MemorySocket, type MemoryNetworkOptions } from './fakes/memory-transport.ts';
export { FakeDatagramNetwork, FakeDatagramTransport, FakeDatagramSocket, type DatagramInFlight, type FakeDatagramNetworkOptions } from './fakes/datagram-transport.ts';
export { FakeConfigurator, FakeRoutingTable, type FakeConfiguratorOptions } from './fakes/configurator.ts';
export { FakeNetwork, FakeHost, type FakeNetworkOptions } from './fakes/host-network.ts';
