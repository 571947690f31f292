/**
 * GitHub's page-based pagination: `per_page` (default 30, at most 100) and `page`, with a `Link`
 * header that Octokit's `paginate()` follows.
 */
import type { ApiRequest, ApiResponse, ForgeUrls } from '../forge-context.js';

export function paginate<T>(
  urls: ForgeUrls,
  req: ApiRequest,
  items: T[],
  wrap?: (page: T[]) => unknown,
): ApiResponse {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(p));
    query.set('per_page', String(perPage));
    return `<${urls.api}${req.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  return {
    status: 200,
    body: wrap ? wrap(slice) : slice,
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}
