// What a person can do about a message, said the way each host does it. The core's messages stay host-neutral and
// carry a hint key (an error's details.hint, or an issue's rule); the CLI appends the option to type, the app offers
// the action (a button, or the place to go). One list, so the two hosts never drift apart.

export type HintKey = 'include_existing' | 'force_resubmit' | 'export_invalid' | 'tls_trust' | 'secret_missing';

/** `app` is a button's label when `action` (the screen that shows the message offers it), else advice to read. */
export const HINTS: Record<HintKey, { cli: string; app: string; action: boolean }> = {
  include_existing: { cli: 'Add --include-existing to retry them too.', app: 'Retry those too', action: true },
  force_resubmit: { cli: 'Add --force if you are sure its worker is gone.', app: 'Resubmit anyway', action: true },
  export_invalid: { cli: 'Export them with: carrier-desk numbers export LIST --invalid.', app: 'Export the invalid rows', action: true },
  tls_trust: {
    cli: "Give the cluster's CA certificate file (--ca-file), or, only on a network you trust, allow insecure TLS (--insecure).",
    app: "Give the cluster's CA certificate file, or, only on a network you trust, allow insecure TLS: Clusters → Edit.",
    action: false,
  },
  secret_missing: { cli: 'Set it again with: carrier-desk drafts edit DRAFT --set PATH=VALUE.', app: 'Enter it again in the editor.', action: false },
};

const isHintKey = (v: unknown): v is HintKey => typeof v === 'string' && v in HINTS;

/** The hint an error value carries in its details, if any. */
export function hintOf(details: unknown): HintKey | undefined {
  const h = typeof details === 'object' && details !== null ? (details as { hint?: unknown }).hint : undefined;
  return isHintKey(h) ? h : undefined;
}

/** A message with the CLI's words for its hint appended (the CLI prints errors and issues through this). */
export function withCliHint(message: string, hint: HintKey | undefined, fill: Record<string, string> = {}): string {
  if (!hint) return message;
  let text = HINTS[hint].cli;
  for (const [k, v] of Object.entries(fill)) text = text.replaceAll(k, v);
  return `${message} ${text}`;
}
