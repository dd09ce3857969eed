// A SecretBox that remembers, for the life of one core, what it sealed and opened. An apply to 50 clusters opens the
// same gateway password from every target's outbox row and base, and seals the same reply secrets again for each:
// ~0.2 ms of AES-GCM and Buffer work each time. Keys can never give a stale answer:
// - open is keyed by the exact sealed text; AES-GCM authenticates it, so one sealed text under this box's key has one
//   plaintext (a text the key cannot open is not remembered: it fails again every time);
// - seal is keyed by the plaintext, and gives back a sealed text this box made for it earlier in the process: it opens
//   to the same plaintext. Equal secrets then share a ciphertext in the folder, which tells only that they are equal
//   (the references of SecretBox.ref say as much already); a fresh core seals afresh.
// Both maps are bounded (cleared when full), so a long-running host holds no more than a few hundred secrets here,
// all of which it has opened (and registered with the redactor) anyway.
import type { SecretBox } from './secret-box.ts';

const MAX_ENTRIES = 512;

export class MemoBox implements SecretBox {
  private readonly opened = new Map<string, string>();
  private readonly sealed = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  get kind(): string {
    return this.box.kind;
  }

  get createdKey(): boolean | undefined {
    return this.box.createdKey;
  }

  seal(plaintext: string): string {
    let text = this.sealed.get(plaintext);
    if (text === undefined) {
      text = this.box.seal(plaintext);
      remember(this.sealed, plaintext, text);
      remember(this.opened, text, plaintext);
    }
    return text;
  }

  open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.box.open(sealed);
      remember(this.opened, sealed, plain);
    }
    return plain;
  }

  ref(plaintext: string): string {
    return this.box.ref(plaintext);
  }
}

function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}

/** The box a core uses: `box` behind the memo (never wrapped twice). */
export function memoBox(box: SecretBox): SecretBox {
  return box instanceof MemoBox ? box : new MemoBox(box);
}
