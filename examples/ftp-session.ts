// FTP (RFC 959) in passive mode: one control connection to port 21 carries the commands,
// and every transfer (LIST, STOR, RETR) opens its own data connection to a new port the
// server names in its 227 reply — one application, several sockets, each its own ip:port
// pair. Run: npx tsx examples/ftp-session.ts [--trace]

import { createHash } from 'node:crypto';
import { Network } from '@netlayers/lab';
import { FtpClient, FtpServer } from '@netlayers/application';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, trace = process.argv.includes('--trace'), fileSize = 64 * 1024): Promise<void> {
  const net = new Network({ seed: 1 });
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const ftpHost = net.addHost('ftp', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { bandwidth: '100Mbps', delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [ftpHost, '10.0.2.21/24'], { bandwidth: '100Mbps', delay: '1ms' });
  net.runFor('1ms');

  const server = new FtpServer(ftpHost.tcp, { files: { '/pub/readme.txt': 'Welcome to the netlayers FTP server.\n' }, node: ftpHost.context });
  const stop = trace ? logLayers(net.trace, { write, roles: ['application', 'transport'] }) : () => undefined;
  const ftp = await net.drive(FtpClient.connect(client.tcp, { host: '10.0.2.21', user: 'student', password: 'secret', node: client.context }));
  await net.drive(ftp.cwd('/pub'));
  const listing = await net.drive(ftp.list());
  const file = net.random.fork('ftp-example').bytes(fileSize);
  await net.drive(ftp.stor('upload.bin', file));
  const back = await net.drive(ftp.retr('upload.bin'));
  await net.drive(ftp.quit());
  net.runFor('5min'); // let TIME-WAIT pass
  stop();

  write('the control connection (C: client, S: server):\n');
  for (const line of ftp.transcript) write(`  ${line}`);
  write('\nLIST output:');
  for (const line of listing.trimEnd().split('\r\n')) write(`  ${line}`);
  write('\neach transfer used its own data connection:');
  const control = ftp.controlConnection;
  write(`  control   10.0.1.10:${String(control.localPort).padEnd(5)} -> ${control.remoteAddress}:${control.remotePort}`);
  for (const d of ftp.dataConnections) write(`  ${d.command.split(' ')[0]!.padEnd(9)} 10.0.1.10:${String(d.localPort).padEnd(5)} -> ${d.remoteAddress}:${d.remotePort}`);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  write(`\nuploaded ${file.length} bytes, downloaded ${back.length} bytes; SHA-256 ${sha(file) === sha(back) && sha(server.fs.readFile('/pub/upload.bin')!) === sha(file) ? 'matches' : 'DIFFERS'}: ${sha(back).slice(0, 16)}…`);
}

if (invokedDirectly(import.meta.url)) await main();
