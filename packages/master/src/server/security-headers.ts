/**
 * Browser security headers on every answer of the HTTP port — errors, the deployment event
 * stream and the early listener's (early-listener.ts) included: no MIME sniffing, never framed
 * (nothing embeds the console), no referrer sent on. The console's pages add their content
 * security policy (web-console.ts). Kept free of imports: the early listener loads it before
 * anything heavy.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
});

/** What the API answers is per user and changes: no cache, in a proxy or a browser, keeps a copy. */
export const NO_STORE = "no-store";
