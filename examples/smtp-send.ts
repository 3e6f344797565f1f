// SMTP (RFC 5321): a client hands a message with a line that starts with "." to a mail
// server behind a router; the DATA phase dot-stuffs it (§4.5.2) and the server stores it
// unstuffed. Run: npx tsx examples/smtp-send.ts [--trace]

import { Network } from '@netlayers/lab';
import { SmtpServer, sendMail } from '@netlayers/application';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, trace = process.argv.includes('--trace')): Promise<void> {
  const net = new Network({ seed: 1 });
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const mail = net.addHost('mail', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [mail, '10.0.2.25/24'], { delay: '1ms' });
  net.runFor('1ms');

  const server = new SmtpServer(mail.tcp, { domain: 'mail.lab', node: mail.context });
  const message = ['From: alice@client.lab', 'To: bob@mail.lab', 'Subject: hello over netlayers', '', 'Hi Bob,', '.this line starts with a dot', 'bye', ''].join('\r\n');
  const stop = trace ? logLayers(net.trace, { write }) : () => undefined;
  const result = await net.drive(sendMail(client.tcp, { host: '10.0.2.25', from: 'alice@client.lab', to: 'bob@mail.lab', data: message, helo: 'client.lab', node: client.context }));
  stop();
  write('the SMTP dialogue (C: client, S: server):\n');
  for (const line of result.transcript) write(`  ${line}`);
  const stored = server.messages[0]!;
  write(`\nthe server stored message ${stored.id} from <${stored.from}> to ${stored.to.map((t) => `<${t}>`).join(', ')}:\n`);
  for (const line of new TextDecoder().decode(stored.data).split('\r\n')) write(`  | ${line}`);
}

if (invokedDirectly(import.meta.url)) await main();
