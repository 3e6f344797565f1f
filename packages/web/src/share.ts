// A link that encodes one moment of a run: scenario, model, options, seed and the selected
// step, in the URL's fragment, so a teacher can share exactly what the class should see.
// (An edited script is not in the link: the link names a shipped scenario.)

export interface SharedState {
  readonly scenario: string;
  readonly model: string;
  readonly seed?: number;
  readonly loss?: number;
  readonly duplicate?: number;
  readonly delay?: string;
  readonly bandwidth?: string;
  readonly args?: string;
  readonly step?: number;
}

export function encodeShared(state: SharedState): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value !== undefined && value !== '') params.set(key, String(value));
  return `#${params.toString()}`;
}

export function decodeShared(hash: string): Partial<SharedState> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const number = (key: string): number | undefined => {
    const v = params.get(key);
    return v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
  };
  const text = (key: string): string | undefined => params.get(key) ?? undefined;
  const out: Record<string, unknown> = { scenario: text('scenario'), model: text('model'), seed: number('seed'), loss: number('loss'), duplicate: number('duplicate'), delay: text('delay'), bandwidth: text('bandwidth'), args: text('args'), step: number('step') };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<SharedState>;
}
