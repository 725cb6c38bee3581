import type { HttpResponse } from '../http/client.ts';
import type { HttpRequest } from '../http/request-parts.ts';

interface Items {
  /** Where a page's items are ('value', 'records', 'entries'); omitted when the body is the array itself. */
  items?: string;
}

/** Follow a next link from the body (`@odata.nextLink`, `nextRecordsUrl`) and/or the RFC 8288 Link header. */
export interface LinkPaging extends Items {
  kind: 'link';
  /** JSON path of the next page's URL (absolute, or relative to the API's origin). */
  next?: string;
  /** Also read `Link: <...>; rel="next"`. */
  header?: boolean;
}

/** A token from the answer goes into the next request (Zoom's next_page_token, Box's next_marker). */
export interface CursorPaging extends Items {
  kind: 'cursor';
  /** JSON path of the cursor in the answer; an empty or missing cursor ends the read. */
  cursor: string;
  /** Name of the request parameter that carries it. */
  param: string;
  /** 'query' (default) or 'body' (a field of the JSON body, for search calls made with POST). */
  in?: 'query' | 'body';
  /** JSON path of a "has more" flag; false ends the read even with a cursor. */
  more?: string;
}

/** offset/limit: ends on a short page, or when offset reaches the total. */
export interface OffsetPaging extends Items {
  kind: 'offset';
  offsetParam: string;
  limitParam: string;
  limit: number;
  /** First offset (default 0). */
  start?: number;
  /** JSON path of the total count, when the vendor gives one. */
  total?: string;
}

/** page number (and page size): ends on a short page, an empty page or the last page. */
export interface PagePaging extends Items {
  kind: 'page';
  pageParam: string;
  /** First page number (default 1). */
  start?: number;
  sizeParam?: string;
  size?: number;
  /** JSON path of the number of pages. */
  totalPages?: string;
}

/** The escape hatch: given the last answer and the request that got it, the next request or null. */
export interface CustomPaging extends Items {
  kind: 'custom';
  next(last: HttpResponse<unknown>, req: HttpRequest, items: unknown[]): HttpRequest | null;
}

export type PagingStrategy = LinkPaging | CursorPaging | OffsetPaging | PagePaging | CustomPaging;
