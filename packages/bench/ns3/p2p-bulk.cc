// The ns-3 side of the netlayers comparison (the netlayers twin is ../src/p2p-bulk.ts): two
// nodes on one point-to-point link, 1 Gbit/s, 1 ms one way, a 1000-packet DropTail device
// queue and no traffic-control qdisc (netlayers has a plain FIFO per transmitter), MTU 1500;
// BulkSend sends N bytes to a PacketSink over one TCP connection: segment size 1448 (1500 - 20
// IPv4 - 20 TCP - 12 timestamp option, as netlayers with RFC 7323 timestamps), timestamps,
// window scaling and SACK on (ns-3's defaults), NewReno, initial window 10, delayed ACK every
// 2nd segment or 200 ms, Nagle on unless --nagle=0, send and receive buffers --buffer bytes.
// Prints one JSON line: simulated completion time (last byte at the sink), the run loop's wall
// and CPU time, and the events executed. Built against Debian's libns3-dev (ns-3.37) by
// ../src/ns3-compare.ts.

#include <chrono>
#include <cstdio>
#include <ctime>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

using namespace ns3;

static uint64_t g_target = 0;
static uint64_t g_received = 0;
static double g_completion = -1;

static void
OnRx(Ptr<const Packet> packet, const Address&)
{
    g_received += packet->GetSize();
    if (g_completion < 0 && g_received >= g_target)
    {
        g_completion = Simulator::Now().GetSeconds();
        Simulator::Stop();
    }
}

int
main(int argc, char* argv[])
{
    uint64_t bytes = 50ull << 20;
    uint32_t buffer = 1u << 20;
    bool nagle = true;
    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "bytes to send", bytes);
    cmd.AddValue("buffer", "send and receive buffer bytes", buffer);
    cmd.AddValue("nagle", "Nagle's algorithm on (1) or off (0)", nagle);
    cmd.Parse(argc, argv);
    g_target = bytes;

    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::TcpNoDelay", BooleanValue(!nagle));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(200)));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(true));

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(1500));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1000p"));
    NetDeviceContainer devices = p2p.Install(nodes);

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);
    // Assign() installs pfifo_fast as root qdisc; remove it: one FIFO, as netlayers.
    TrafficControlHelper tch;
    tch.Uninstall(devices);

    uint16_t port = 5001;
    BulkSendHelper source("ns3::TcpSocketFactory", InetSocketAddress(interfaces.GetAddress(1), port));
    source.SetAttribute("MaxBytes", UintegerValue(bytes));
    source.SetAttribute("SendSize", UintegerValue(64 * 1024));
    ApplicationContainer sourceApp = source.Install(nodes.Get(0));
    sourceApp.Start(Seconds(0.0));
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinkApp = sink.Install(nodes.Get(1));
    sinkApp.Start(Seconds(0.0));
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnRx));

    std::clock_t cpu0 = std::clock();
    auto wall0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto wall1 = std::chrono::steady_clock::now();
    std::clock_t cpu1 = std::clock();
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();

    if (g_completion < 0)
    {
        std::fprintf(stderr, "p2p-bulk: received %llu of %llu bytes\n", (unsigned long long)g_received, (unsigned long long)bytes);
        return 1;
    }
    double wallMs = std::chrono::duration<double, std::milli>(wall1 - wall0).count();
    double cpuMs = 1000.0 * double(cpu1 - cpu0) / CLOCKS_PER_SEC;
    std::printf("{\"simulator\":\"ns-3\",\"bytes\":%llu,\"completionSeconds\":%.9f,\"runLoopWallMs\":%.3f,"
                "\"runLoopCpuMs\":%.3f,\"events\":%llu,\"goodputMbps\":%.3f}\n",
                (unsigned long long)bytes, g_completion, wallMs, cpuMs, (unsigned long long)events,
                bytes * 8.0 / g_completion / 1e6);
    return 0;
}
