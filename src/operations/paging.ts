// Pagination, declared once (moto's PAGINATION_MODEL; the model's smithy.api#paginated): a list
// operation names what it lists, its default page size and its sort key; this turns the
// repository's keyset listing, the request's NextToken and MaxResults into the page. Tokens are
// bound to the listing they came from (common/pagination.ts), so any node accepts them and a
// token from another listing is refused.
import { decodePageToken, toPage } from "../common/pagination.js";
import type { ListRequest } from "../store/store.js";

export interface PageRequest {
  NextToken?: string | undefined;
  MaxResults?: number | undefined;
}

export interface Page<T> {
  items: T[];
  NextToken?: string;
}

/**
 * One page: `context` names the listing (e.g. `ListUsers/<instance id>`), `fetch` returns up to
 * limit+1 rows after the given key, `keyOf` is the sort key of a row.
 */
export async function page<T>(
  context: string,
  input: PageRequest,
  defaultLimit: number,
  fetch: (request: ListRequest) => Promise<T[]>,
  keyOf: (row: T) => string,
): Promise<Page<T>> {
  const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
  const limit = input.MaxResults ?? defaultLimit;
  const rows = await fetch({ after, limit });
  const p = toPage(rows, limit, context, keyOf);
  return p.nextToken === undefined ? { items: p.items } : { items: p.items, NextToken: p.nextToken };
}
