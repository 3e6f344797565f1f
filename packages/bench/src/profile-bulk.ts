// Profiling aid, not a benchmark: one 30 MB bulk transfer through the full stack. Run with
// `node --cpu-prof --import tsx packages/bench/src/profile-bulk.ts` and open the .cpuprofile.
import { Network } from '@netlayers/lab';
const net = new Network({ seed: 1 });
const sw = net.addSwitch('sw');
const tcp = { sendBufferSize: '1MiB', receiveBufferSize: '1MiB' }; // as tcp.bench.ts (windows that fit the port's queue)
const a = net.addHost('a', { tcp }); const b = net.addHost('b', { tcp });
net.connect([a, '10.0.0.1/24'], sw, { bandwidth: '10Gbps', delay: '10us', queueLimit: 1000 });
net.connect([b, '10.0.0.2/24'], sw, { bandwidth: '10Gbps', delay: '10us', queueLimit: 1000 });
net.runFor('1ms');
let received = 0; const total = 30e6;
b.tcp.listen({ port: 5001 }).on('connection', (s) => s.on('data', (c) => (received += c.length)));
const s = a.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
const chunk = new Uint8Array(65536); let sent = 0;
const pump = (): void => { while (sent < total) { const n = Math.min(65536, total - sent); sent += n; if (!s.write(chunk.subarray(0, n))) return; } };
s.on('connect', pump); s.on('drain', pump);
const t0 = Date.now(); net.runUntilIdle(); const dt = (Date.now() - t0) / 1000;
console.log(`received ${received} in ${dt}s = ${(received / 1e6 / dt).toFixed(1)} MB/s; events ${net.scheduler.executedCount}; virtual ${net.now() / 1e9}s`);
