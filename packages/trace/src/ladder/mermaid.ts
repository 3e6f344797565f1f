// The ladder diagram as a Mermaid `sequenceDiagram`: one message per segment (`-x` ends a
// lost one in a cross), a note naming the layer in the chosen model, notes for each side's
// states (RFC 9293 §3.3.2 names for TCP) and for the TIME-WAIT 2*MSL timer. Paste it into
// any Markdown that renders Mermaid.

import { formatSeconds } from '../format.ts';
import type { Ladder } from './model.ts';

/** Mermaid breaks on ';' and '#' (entity codes) and on line breaks inside a message. */
function escapeText(text: string): string {
  return text.replace(/[;#]/g, ' ').replace(/[\r\n]+/g, ' ').trim();
}

function participantId(node: string, fallback: string): string {
  const id = node.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(id) ? id : `${fallback}_${id}`;
}

export interface LadderMermaidOptions {
  /** Add the send time to each message label (default true). */
  readonly times?: boolean;
}

export function renderLadderMermaid(ladder: Ladder, options: LadderMermaidOptions = {}): string {
  const times = options.times ?? true;
  const [left, right] = ladder.participants;
  let leftId = participantId(left.node, 'A');
  let rightId = participantId(right.node, 'B');
  if (leftId === rightId) {
    leftId = `${leftId}_1`;
    rightId = `${rightId}_2`;
  }
  const ids = [leftId, rightId] as const;
  const out: string[] = ['sequenceDiagram'];
  // A comment rather than `title`: Mermaid sanitises titles with DOMPurify, which needs a DOM.
  out.push(`  %% ${escapeText(ladder.title)}`);
  out.push(`  participant ${leftId} as ${escapeText(left.endpoint ? `${left.node} ${left.endpoint}` : left.node)}`);
  out.push(`  participant ${rightId} as ${escapeText(right.endpoint ? `${right.node} ${right.endpoint}` : right.node)}`);
  // The layer the arrows belong to, in the chosen model (a title comment is not drawn).
  if (ladder.layer) out.push(`  Note over ${leftId},${rightId}: ${escapeText(ladder.layer)}`);
  if (left.initialState) out.push(`  Note left of ${leftId}: ${escapeText(left.initialState)}`);
  if (right.initialState) out.push(`  Note right of ${rightId}: ${escapeText(right.initialState)}`);
  for (const row of ladder.rows) {
    const side = row.kind === 'arrow' ? row.from : row.side;
    const where = side === 0 ? `left of ${ids[0]}` : `right of ${ids[1]}`;
    if (row.kind === 'state') {
      out.push(`  Note ${where}: ${escapeText(row.state)}${times ? ` at ${formatSeconds(row.time)}` : ''}`);
    } else if (row.kind === 'note') {
      out.push(`  Note ${where}: ${escapeText(row.text)}`);
    } else {
      const from = ids[row.from];
      const to = ids[row.from === 0 ? 1 : 0];
      const label = `${row.retransmission ? '[retransmission] ' : ''}${row.duplicate ? '[duplicate] ' : ''}${row.label}${row.lost ? ` [lost${row.lossReason ? `: ${row.lossReason}` : ''}]` : ''}${times ? ` at ${formatSeconds(row.time)}` : ''}`;
      out.push(`  ${from}${row.lost ? '-x' : '->>'}${to}: ${escapeText(label)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
