import crypto from 'node:crypto';

/** What the Box simulator keeps: one enterprise's folder tree, in memory. */
export interface BoxItem {
  type: 'file' | 'folder';
  id: string;
  name: string;
  parentId: string | null;
  createdAt: Date;
  modifiedAt: Date;
  content?: Buffer;
  etag: number;
}

let seq = 1000;
const nextId = () => String(++seq);

export class BoxStore {
  readonly items = new Map<string, BoxItem>();

  constructor() {
    const now = new Date();
    this.items.set('0', { type: 'folder', id: '0', name: 'All Files', parentId: null, createdAt: now, modifiedAt: now, etag: 0 });
  }

  children(folderId: string): BoxItem[] {
    // Box orders folder items by type then name by default ("order": [{"by": "type"}, {"by": "name"}]).
    return [...this.items.values()]
      .filter((i) => i.parentId === folderId)
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
  }

  /** Box names are unique per folder, case-insensitively. */
  conflict(folderId: string, name: string, exceptId?: string): BoxItem | undefined {
    return this.children(folderId).find((i) => i.name.toLowerCase() === name.toLowerCase() && i.id !== exceptId);
  }

  addFolder(parentId: string, name: string): BoxItem {
    const now = new Date();
    const f: BoxItem = { type: 'folder', id: nextId(), name, parentId, createdAt: now, modifiedAt: now, etag: 0 };
    this.items.set(f.id, f);
    return f;
  }

  addFile(parentId: string, name: string, content: Buffer): BoxItem {
    const now = new Date();
    const f: BoxItem = { type: 'file', id: nextId(), name, parentId, createdAt: now, modifiedAt: now, content, etag: 0 };
    this.items.set(f.id, f);
    return f;
  }

  /** The item at a '/'-separated path of names below `fromId` (test helper). */
  byPath(p: string, fromId = '0'): BoxItem | undefined {
    let cur = this.items.get(fromId);
    for (const name of p.split('/').filter(Boolean)) {
      cur = cur && this.children(cur.id).find((i) => i.name === name);
    }
    return cur;
  }

  sha1(i: BoxItem): string {
    return crypto.createHash('sha1').update(i.content ?? Buffer.alloc(0)).digest('hex');
  }
}
