/** The server's gauge of the requests it is handling now; the scrape of `/metrics` counts itself. */
const IN_FLIGHT_LINE = /^sealink_rerank_http_requests_in_flight (\d+)$/m;

/** How many requests the server at `url` is handling now, besides the scrape of its `/metrics` that asks. */
export async function requestsInFlight(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  const match = IN_FLIGHT_LINE.exec(text);
  if (match === null) throw new Error(`GET ${url}/metrics (${response.status}) has no in-flight gauge`);
  return Number(match[1]) - 1;
}

/**
 * Resolves once the server at `url` is handling `count` requests (besides the scrape that asks): a request
 * is in flight as soon as the server has read its headers, so a drain waits for it from then on. A sleep
 * instead is a guess that a loaded machine can outlast, and a request still unread when the server drains
 * is cut with the idle connections. For tests: fails after `timeoutMs`, with the last count seen.
 */
export async function waitForRequestsInFlight(url: string, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await requestsInFlight(url);
    if (seen === count) return;
    if (Date.now() > deadline) {
      throw new Error(`the server at ${url} handles ${seen} requests, not ${count}, after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
