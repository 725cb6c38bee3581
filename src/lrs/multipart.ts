import { LrsErrors } from './errors.ts';

/** One part of a multipart/mixed body. Header names are lower-cased. */
export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Splits a multipart/mixed body (RFC 2046) into parts. The CRLF before each delimiter belongs to the
 * delimiter, so part bodies are byte-exact (attachment hashes are computed on them).
 */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from('--' + boundary);
  let pos = body.indexOf(delim);
  if (pos < 0) throw LrsErrors.BAD_REQUEST.create('multipart body has no boundary delimiter');
  const parts: Part[] = [];
  for (;;) {
    pos += delim.length;
    if (body.slice(pos, pos + 2).toString() === '--') break; // close delimiter
    // skip transport padding and the CRLF after the delimiter
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), pos);
    const nextLf = next < 0 ? body.indexOf(Buffer.concat([Buffer.from('\n'), delim]), pos) : -1;
    const end = next >= 0 ? next : nextLf;
    if (end < 0) throw LrsErrors.BAD_REQUEST.create('multipart body is not closed by its boundary');
    const raw = body.subarray(pos, end);
    let headerEnd = raw.indexOf('\r\n\r\n');
    let sep = 4;
    if (headerEnd < 0) {
      headerEnd = raw.indexOf('\n\n');
      sep = 2;
    }
    if (raw.subarray(0, 2).toString() === '\r\n') {
      headerEnd = 0;
      sep = 2;
    }
    if (headerEnd < 0) throw LrsErrors.BAD_REQUEST.create('a multipart part has no header section');
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, headerEnd).toString('utf8').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, body: Buffer.from(raw.subarray(headerEnd + sep)) });
    pos = end + (next >= 0 ? 2 : 1);
  }
  return parts;
}

/** Builds a multipart/mixed body; returns it with its Content-Type header value. */
export function buildMultipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = 'xapi-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = Object.entries(p.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), p.body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/mixed; boundary=${boundary}` };
}
