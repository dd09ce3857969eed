// Raw bytes to an HTTP server over a plain TCP socket: for requests no well-behaved client would send (malformed
// request lines, bad escapes, oversized headers, broken WebSocket handshakes and frames, resets mid-way).
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawReply {
  /** HTTP status of the first reply line, when one came. */
  status: number | undefined;
  text: string;
  /** The server closed the connection (as opposed to our timeout ending it). */
  closedByServer: boolean;
}

export interface RawOptions {
  /** Written after the first reply has been read (e.g. WebSocket frames after a 101). */
  after?: Buffer[];
  /** Reset the connection right after writing (an abrupt client). */
  reset?: boolean;
  /** Stop waiting for more bytes after this long (default 1500 ms). */
  timeoutMs?: number;
}

export function rawRequest(port: number, bytes: Buffer | string, opts: RawOptions = {}): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    let sentAfter = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text, closedByServer });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 1500);
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = all.subarray(0, end).toString('latin1');
      if (/^HTTP\/1\.1 101/.test(head)) {
        if (opts.after && !sentAfter) {
          sentAfter = true;
          for (const b of opts.after) socket.write(b);
        } else if (all.length > end + 4) finish(false); // the server's first frame after the handshake
        return;
      }
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length && all.length >= end + 4 + Number(length[1])) finish(false);
      else if (/\r\ntransfer-encoding: *chunked/i.test(head) && all.subarray(end + 4).includes('0\r\n\r\n')) finish(false);
    });
    socket.on('connect', () => {
      socket.write(bytes);
      if (opts.reset) {
        socket.resetAndDestroy();
        finish(false);
      }
    });
  });
}

/** One WebSocket frame as a client sends it (masked by default); `declaredLength` lies about the payload size. */
export function wsFrame(opcode: number, payload: Buffer | string, opts: { mask?: boolean; fin?: boolean; rsv?: number; declaredLength?: bigint } = {}): Buffer {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const mask = opts.mask !== false;
  const first = ((opts.fin === false ? 0 : 0x80) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f)) & 0xff;
  const len = opts.declaredLength ?? BigInt(data.length);
  let header: Buffer;
  if (len < 126n) header = Buffer.from([first, (mask ? 0x80 : 0) | Number(len)]);
  else if (len < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(len), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(len, 2);
  }
  if (!mask) return Buffer.concat([header, data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([header, key, masked]);
}
