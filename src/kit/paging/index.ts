/** kit/paging: async generators over the pages and items of a vendor's paged reads (see docs/kit.md). */
export { itemsOf, nextRequest, pages, paginate, type PagingOptions } from './paginate.ts';
export type { CursorPaging, CustomPaging, LinkPaging, OffsetPaging, PagePaging, PagingStrategy } from './strategies.ts';
export { valueAt } from './json-path.ts';
export { nextFromLinkHeader } from './link-header.ts';
