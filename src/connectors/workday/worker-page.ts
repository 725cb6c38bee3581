/**
 * Reads a Get_Workers answer as a stream of XML events (saxes: strict, well-formedness checked) and keeps only
 * the parts of each wd:Worker the read's attributes need, instead of building the whole page as an object tree.
 *
 * Why not fast-xml-parser (used for every other Workday answer): a page of 100 workers is ~1.5 MB of XML (~14 KB
 * a worker) of which a usual mapping reads a few hundred bytes a worker. fast-xml-parser builds the whole tree
 * (its stopNodes only skip building some parts, the tokenizing stays) and was, with the garbage collection of
 * that tree, about two thirds of the import process's CPU in bench:workday. saxes tokenizes the same page ~3-4x
 * faster and no object is made for an element no attribute reads (figures: src/connectors/workday/README.md).
 *
 * The kept parts have exactly the shape fast-xml-parser gives them with client.ts's options, so attributes.ts
 * reads them unchanged: namespace prefixes removed (xmlns attributes dropped), attributes under '@' (trimmed),
 * element text under '$' (trimmed; CDATA as is), an element with neither attributes nor children is its text
 * ('' when empty), a repeated element is an array. Namespaces are handled as before: by local name, whatever
 * prefix the tenant uses.
 *
 * The reader is fed in chunks (write) and gives the workers as they close; the caller gives it the answer's text
 * (SOAP faults were already recognised on it by the kit's client, client.ts's workdayClassifier).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { keepsOf } from './attributes.ts';
import type { XmlNode } from './client.ts';

/** Which elements to keep: `all` keeps the element's whole subtree; `first` only its first occurrence. */
interface Keep {
  all?: boolean;
  first?: boolean;
  kids: Map<string, Keep>;
}

const ALL: Keep = { all: true, kids: new Map() };
const node = (): Keep => ({ kids: new Map() });

/** The element paths under Worker_Data a read of these attributes needs (see attributes.ts keepsOf). */
function keepTree(fields: string[]): Keep {
  const data = node();
  for (const path of keepsOf(fields)) {
    let cur = data;
    for (const step of path.split('.')) {
      const first = step.endsWith('[0]');
      const name = first ? step.slice(0, -3) : step;
      let next = cur.kids.get(name);
      if (!next) cur.kids.set(name, (next = node()));
      if (first) next.first = true;
      cur = next;
    }
    cur.all = true;
  }
  const worker = node();
  worker.kids.set('Worker_Reference', ALL);
  worker.kids.set('Worker_Data', data);
  const responseData = node();
  responseData.kids.set('Worker', worker);
  const response = node();
  response.kids.set('Response_Results', ALL);
  response.kids.set('Response_Data', responseData);
  const body = node();
  body.kids.set('Get_Workers_Response', response);
  const envelope = node();
  envelope.kids.set('Body', body);
  const root = node();
  root.kids.set('Envelope', envelope);
  return root;
}

interface Frame {
  keep: Keep | null;
  /** The element's object once it has attributes or kept children. */
  obj: XmlNode | null;
  text: string;
  name: string;
}

const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

export interface WorkersPage {
  /** Response_Results as fast-xml-parser gives it (Total_Results, Total_Pages, ...), if the answer had one. */
  results: XmlNode | undefined;
  /** Whether the answer's Body held a Get_Workers_Response. */
  hasResponse: boolean;
}

export class WorkerPageReader {
  private readonly sax = new SaxesParser({ xmlns: false });
  private readonly stack: Frame[];
  /** Elements opened inside a skipped element (no frame is kept for them). */
  private skipped = 0;
  /** Workers closed since the last take(). */
  private workers: XmlNode[] = [];
  private error: Error | undefined;
  readonly page: WorkersPage = { results: undefined, hasResponse: false };

  constructor(fields: string[]) {
    this.stack = [{ keep: keepTree(fields), obj: {}, text: '', name: '' }];
    this.sax.on('opentag', (t) => this.open(t as SaxesTagPlain));
    this.sax.on('closetag', () => this.close());
    this.sax.on('text', (t) => {
      if (this.skipped === 0) this.stack[this.stack.length - 1].text += t.trim();
    });
    this.sax.on('cdata', (t) => {
      if (this.skipped === 0) this.stack[this.stack.length - 1].text += t;
    });
    this.sax.on('error', (e) => {
      this.error ??= e;
    });
  }

  private open(tag: SaxesTagPlain): void {
    if (this.skipped > 0) {
      this.skipped++;
      return;
    }
    const parent = this.stack[this.stack.length - 1];
    const name = local(tag.name);
    const keep = parent.keep!.all ? ALL : parent.keep!.kids.get(name);
    if (!keep || (keep.first && parent.obj && parent.obj[name] !== undefined)) {
      this.skipped = 1;
      return;
    }
    let obj: XmlNode | null = null;
    for (const a in tag.attributes) {
      if (a === 'xmlns' || a.startsWith('xmlns:')) continue;
      (obj ??= {})[`@${local(a)}`] = tag.attributes[a].trim();
    }
    this.stack.push({ keep, obj, text: '', name });
  }

  private close(): void {
    if (this.skipped > 0) {
      this.skipped--;
      return;
    }
    const f = this.stack.pop()!;
    const parent = this.stack[this.stack.length - 1];
    let value: unknown = f.text;
    if (f.obj) {
      if (f.text !== '') f.obj.$ = f.text;
      value = f.obj;
    }
    if (f.name === 'Get_Workers_Response' && parent.name === 'Body') this.page.hasResponse = true;
    // A worker leaves the tree as it closes: the page is never held whole.
    if (f.name === 'Worker' && parent.name === 'Response_Data') {
      this.workers.push(value as XmlNode);
      return;
    }
    if (f.name === 'Response_Results' && parent.name === 'Get_Workers_Response') this.page.results = value as XmlNode;
    const into = (parent.obj ??= {});
    const had = into[f.name];
    if (had === undefined) into[f.name] = value;
    else if (Array.isArray(had)) had.push(value);
    else into[f.name] = [had, value];
  }

  /** Feeds the next part of the answer (any split: a chunk may end inside a tag, a name or a character). */
  write(chunk: string): void {
    if (!this.error) this.sax.write(chunk);
    if (this.error) throw this.error;
  }

  /** Ends the answer; throws if it was not a well-formed document. */
  end(): void {
    if (!this.error) this.sax.close();
    if (this.error) throw this.error;
  }

  /** The workers closed since the last call, in the answer's order. */
  take(): XmlNode[] {
    const w = this.workers;
    this.workers = [];
    return w;
  }
}
