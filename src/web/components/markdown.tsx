import type { ReactNode } from 'react';

/** A deliberately small Markdown renderer for the Getting Started pages: headings, lists, pictures, code blocks, paragraphs, links. */
function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`)|\[([^\]]+)\]\(([^)]+)\)|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(<code key={m.index}>{m[1].slice(1, -1)}</code>);
    else if (m[2]) out.push(<a key={m.index} href={m[3]} rel="noreferrer">{m[2]}</a>);
    else if (m[4]) out.push(<strong key={m.index}>{m[4]}</strong>);
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      blocks.push(<pre key={i} className="card">{code.join('\n')}</pre>);
    } else if (/^#{1,4} /.test(l)) {
      const level = l.indexOf(' ');
      const H = `h${Math.min(level + 1, 4)}` as 'h2';
      blocks.push(<H key={i}>{inline(l.slice(level + 1))}</H>);
    } else if (/^!\[[^\]]*\]\([^)]+\)\s*$/.test(l)) {
      // A picture on its own line (the screenshots of the steps).
      const [, alt, src] = /^!\[([^\]]*)\]\(([^)]+)\)/.exec(l)!;
      blocks.push(<figure key={i}><img src={src} alt={alt} loading="lazy" /><figcaption className="muted">{alt}</figcaption></figure>);
    } else if (/^\s*\d+\. /.test(l)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*\d+\. /.test(lines[i]); i++) items.push(lines[i].replace(/^\s*\d+\. /, ''));
      i--;
      blocks.push(<ol key={i}>{items.map((it, k) => <li key={k}>{inline(it)}</li>)}</ol>);
    } else if (/^\s*([-*]|\d+\.) /.test(l)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.) /.test(lines[i]); i++) items.push(lines[i].replace(/^\s*([-*]|\d+\.) /, ''));
      i--;
      blocks.push(<ul key={i}>{items.map((it, k) => <li key={k}>{inline(it)}</li>)}</ul>);
    } else if (l.trim()) {
      const para: string[] = [];
      for (; i < lines.length && lines[i].trim() && !/^(#|```|!\[|\s*([-*]|\d+\.) )/.test(lines[i]); i++) para.push(lines[i]);
      i--;
      blocks.push(<p key={i}>{inline(para.join(' '))}</p>);
    }
  }
  return <div className="markdown">{blocks}</div>;
}
