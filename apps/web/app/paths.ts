/**
 * The app's own pages. The server answers these with the app, and only these: every other path
 * stays the services' API, so a page can never shadow a route.
 */
export const PAGE_PATTERNS: ReadonlyArray<RegExp> = [
  /^\/$/,
  /^\/product\/[A-Z0-9-]{1,100}$/,
  /^\/cart$/,
  /^\/orders(\/[A-Za-z0-9._:-]{1,100})?$/,
  /^\/notifications$/,
  /^\/mail$/,
  /^\/signin$/,
  /^\/signup$/,
  /^\/warehouse$/,
  /^\/stock$/,
  /^\/board$/,
  /^\/my-deliveries$/,
  /^\/catalog$/,
  /^\/accounts$/,
  /^\/operations$/,
  /^\/failed-mail$/,
];

export const isPagePath = (path: string): boolean => PAGE_PATTERNS.some((p) => p.test(path));

/** The services a page reaches through the site, by the prefix the site forwards. */
export const SERVICES = ["warehouse", "delivery", "catalog"] as const;
export type ServiceName = (typeof SERVICES)[number];
export const apiPrefix = (service: ServiceName): string => `/api/${service}`;
